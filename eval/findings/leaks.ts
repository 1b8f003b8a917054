/**
 * The leak rule on a catalogue of real workloads (__tests__/fixtures/memory/catalogue.mjs): each
 * run several times, each time in a fresh `node --expose-gc` process through the memory tests'
 * driver (captureMemory with the default options, as the bench child runs it).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { MemoryAttachment } from '../../src/model/memory.js';

export const NOT_LEAKING = [
  ['fetchKeepAlive', 'fetch (undici keep-alive) from a loopback server'],
  ['fetchTwentyOne', 'an HTTP app op: 21 fetches from a loopback server'],
  ['pgliteQuery', 'PGlite query'],
  ['pgPoolQuery', 'pg Pool (4) via pglite-socket on loopback'],
  ['warmCache', 'memo cache over 500 keys (fills, then hits)'],
  ['boundedLru', 'bounded LRU (200 of 5000 keys)'],
  ['growThenStable', 'array grows to 3000, then a ring buffer'],
  ['internStrings', 'string interning, 2000-word vocabulary'],
  ['listenersRemoved', 'listener added and removed per op'],
  ['timersCleared', 'timer set and cleared per op'],
  ['jsonRoundTrip', 'JSON parse/stringify'],
] as const;

export const LEAKING = [
  ['unboundedMap', 'Map keyed by a fresh id per op'],
  ['listenerClosures', 'listener closure added per op, never removed'],
  ['timersNeverCleared', 'setInterval per op, never cleared'],
  ['globalArray', 'module-level array appended per op'],
  ['memoUniqueKeys', 'memo object keyed by a unique key per op'],
  ['fetchKeepsBodies', 'fetch keeping every response body (~0.5 % of what an op allocates)'],
] as const;

export interface LeakResult {
  name: string;
  what: string;
  leaking: boolean;
  runs: number;
  flagged: number;
  /** Retained growth per op of each run, bytes. */
  retained: number[];
  allocBytesPerOp: number;
  errors: string[];
}

export function evaluateLeaks(
  root: string,
  driver: string,
  runs: number,
  log: (line: string) => void,
): LeakResult[] {
  const catalogue = join(root, '__tests__/fixtures/memory/catalogue.mjs');
  const results: LeakResult[] = [];
  for (const [list, leaking] of [
    [NOT_LEAKING, false],
    [LEAKING, true],
  ] as const) {
    for (const [name, what] of list) {
      const result: LeakResult = {
        name,
        what,
        leaking,
        runs: 0,
        flagged: 0,
        retained: [],
        allocBytesPerOp: 0,
        errors: [],
      };
      for (let run = 0; run < runs; run++) {
        try {
          const out = execFileSync(
            process.execPath,
            ['--expose-gc', driver, catalogue, name, '{}', root, '1'],
            { cwd: root, maxBuffer: 64 * 2 ** 20, timeout: 180_000 },
          );
          const [memory] = JSON.parse(out.toString('utf8')) as MemoryAttachment[];
          result.runs += 1;
          if (memory!.leak) result.flagged += 1;
          result.retained.push(memory!.retainedBytesPerOp);
          result.allocBytesPerOp = memory!.allocBytesPerOp;
        } catch (error) {
          result.errors.push((error as Error).message.split('\n')[0]!);
        }
      }
      log(
        `  ${name}: ${result.flagged}/${result.runs} flagged${result.errors.length ? ` (${result.errors.length} errors)` : ''}`,
      );
      results.push(result);
    }
  }
  return results;
}
