/** The plugin's cProfile pass → the profile attachment, with exact calls per op. Pure. */
import type { ProfileAttachment, ProfileFunction } from '../../model/profile.js';
import { toAttachment } from '../../profile/attachment.js';
import { isProjectFile } from '../../profile/calls.js';
import { parseProfile } from '../../profile/formats/read.js';
import { frameKey } from '../../profile/tree.js';

export interface PythonProfileInput {
  /** Bytes of the pstats file. */
  bytes: Uint8Array;
  /** Its name, for errors. */
  file: string;
  ops: number;
  durationMs: number;
  /** Median of the timing pass, ns per op. */
  opNs: number;
  /** Path of the pstats file as the Run should point to it. */
  rawFile?: string;
}

/**
 * The attachment of perfgate's own pass (functions bounded by self time, stacks), plus calls
 * per op on every function and every project function kept however small its time: call counts
 * of the project's code are compared exactly (src/profile/calls.ts).
 */
export function pythonProfileAttachment(input: PythonProfileInput): ProfileAttachment {
  // The plugin has already named files as perfgate does (project-relative, site-packages/…).
  const { tree, summary } = parseProfile(input.bytes, input.file, { format: 'pstats' });
  const attachment = toAttachment(tree, {
    ops: input.ops,
    durationMs: input.durationMs,
    opNs: input.opNs,
    ...(input.rawFile ? { rawFile: input.rawFile } : {}),
  });
  const ops = input.ops > 0 ? input.ops : 1;
  const listed = new Map(attachment.functions.map((f) => [frameKey(f), f]));
  const scale = summary.time > 0 ? input.opNs / summary.time : 0;
  const functions: ProfileFunction[] = [...attachment.functions];
  for (const f of summary.functions) {
    const calls = f.calls === undefined ? undefined : f.calls / ops;
    const entry = listed.get(frameKey(f));
    if (entry) {
      if (calls !== undefined) entry.calls = calls;
    } else if (isProjectFile(f.file) && calls !== undefined) {
      functions.push({
        name: f.name,
        file: f.file,
        line: f.line,
        selfSamples: f.selfSamples,
        totalSamples: f.totalSamples,
        self: f.selfTime * scale,
        total: f.totalTime * scale,
        calls,
      });
    }
  }
  // cProfile has no samples: the pstats reader counts pseudo-samples of 1 ms, which the Run
  // stores as a whole number.
  return {
    ...attachment,
    samples: Math.round(attachment.samples),
    functions,
    projectComplete: true,
  };
}
