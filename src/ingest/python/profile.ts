/** The plugin's cProfile pass → the profile attachment, with exact calls per op. Pure. */
import type { ProfileAttachment } from '../../model/profile.js';
import { toAttachment } from '../../profile/attachment.js';
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

export function pythonProfileAttachment(input: PythonProfileInput): ProfileAttachment {
  // The plugin has already named files as perfgate does (project-relative, site-packages/…).
  const { tree, summary } = parseProfile(input.bytes, input.file, { format: 'pstats' });
  const attachment = toAttachment(tree, {
    ops: input.ops,
    durationMs: input.durationMs,
    opNs: input.opNs,
    ...(input.rawFile ? { rawFile: input.rawFile } : {}),
  });
  const calls = new Map(summary.functions.map((f) => [frameKey(f), f.calls]));
  for (const f of attachment.functions) {
    const count = calls.get(frameKey(f));
    if (count !== undefined) f.calls = count / input.ops;
  }
  return attachment;
}
