/** speedscope JSON export (https://www.speedscope.app/file-format-schema.json). Pure. */
import { frameKey, stackOf, type Frame, type ProfileTree } from './tree.js';

export interface NamedTree {
  name: string;
  tree: ProfileTree;
  /** Multiplies node times (e.g. to time per op); default 1. */
  scale?: number;
}

/**
 * One speedscope file holding several profiles (e.g. base and head) as `sampled` profiles: one
 * weighted sample per call-tree node with self time, in nanoseconds (or `none` without time).
 */
export function toSpeedscope(profiles: NamedTree[], name: string): object {
  const frames: Array<{ name: string; file?: string; line?: number }> = [];
  const frameIndex = new Map<string, number>();
  const index = (frame: Frame) => {
    const key = frameKey(frame);
    let i = frameIndex.get(key);
    if (i === undefined) {
      i = frames.length;
      frames.push({
        name: frame.name,
        ...(frame.file ? { file: frame.file } : {}),
        ...(frame.line ? { line: frame.line } : {}),
      });
      frameIndex.set(key, i);
    }
    return i;
  };
  const out = profiles.map(({ name: profileName, tree, scale = 1 }) => {
    const samples: number[][] = [];
    const weights: number[] = [];
    for (let node = 1; node < tree.nodeFrame.length; node += 1) {
      const weight = tree.nodeTime[node] * scale;
      if (!(weight > 0)) continue;
      samples.push(stackOf(tree, node).map((f) => index(tree.frames[f])));
      weights.push(weight);
    }
    const end = weights.reduce((a, b) => a + b, 0);
    return {
      type: 'sampled',
      name: profileName,
      unit: tree.hasTime ? 'nanoseconds' : 'none',
      startValue: 0,
      endValue: end,
      samples,
      weights,
    };
  });
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    name,
    exporter: 'perfgate',
    activeProfileIndex: out.length - 1,
    shared: { frames },
    profiles: out,
  };
}
