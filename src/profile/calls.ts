/**
 * Call-count changes of the project's own functions between the base and head profiles, from
 * profilers that count calls (cProfile). Counts of deterministic code are exact, so they are
 * compared exactly: `get_user_details` 0 → 500 calls per op names an N+1 whatever the timing
 * noise. Pure.
 */
import type { CallChange } from '../model/comparison.js';
import type { ProfileAttachment, ProfileFunction } from '../model/profile.js';
import { MAX_FUNCTIONS } from './attachment.js';
import { frameKey } from './tree.js';

/** Half a call per op: below it, a difference of averaged counts is rounding, not code. */
const MIN_DIFFERENCE = 0.5;
export const MAX_CALL_CHANGES = 10;

/** Dependencies, the standard library, built-ins and Node's internals are not the project's. */
export function isProjectFile(file: string): boolean {
  return (
    file !== '' &&
    !file.startsWith('<') &&
    !file.startsWith('site-packages/') &&
    !file.startsWith('stdlib/') &&
    !file.startsWith('node_modules/') &&
    !file.startsWith('node:') &&
    !file.startsWith('/')
  );
}

function counted(profile: ProfileAttachment): Map<string, ProfileFunction> {
  return new Map(
    profile.functions.filter((f) => f.calls !== undefined).map((f) => [frameKey(f), f]),
  );
}

/**
 * Project functions whose calls per op changed, biggest difference first. A function missing
 * from one side counts as 0 calls there only when that side lists every project function
 * (`projectComplete`, or a list not cut at the attachment's bound); else it is left out. Undefined when a side has no counts.
 */
export function compareCalls(
  base: ProfileAttachment | undefined,
  head: ProfileAttachment | undefined,
  max = MAX_CALL_CHANGES,
): CallChange[] | undefined {
  if (!base || !head) return undefined;
  const baseFns = counted(base);
  const headFns = counted(head);
  if (baseFns.size === 0 || headFns.size === 0) return undefined;
  const complete = (p: ProfileAttachment) =>
    p.projectComplete === true || p.functions.length < MAX_FUNCTIONS;
  const changes: CallChange[] = [];
  for (const key of new Set([...baseFns.keys(), ...headFns.keys()])) {
    const b = baseFns.get(key);
    const h = headFns.get(key);
    const frame = (h ?? b)!;
    if (!isProjectFile(frame.file)) continue;
    if ((!b && !complete(base)) || (!h && !complete(head))) continue;
    const baseCalls = b?.calls ?? 0;
    const headCalls = h?.calls ?? 0;
    if (Math.abs(headCalls - baseCalls) < MIN_DIFFERENCE) continue;
    changes.push({
      name: frame.name,
      file: frame.file,
      line: frame.line,
      base: b ? baseCalls : null,
      head: h ? headCalls : null,
    });
  }
  return changes
    .sort(
      (x, y) =>
        Math.abs((y.head ?? 0) - (y.base ?? 0)) - Math.abs((x.head ?? 0) - (x.base ?? 0)) ||
        x.name.localeCompare(y.name),
    )
    .slice(0, max);
}
