/** Analysis of one profile: per-function self/total, top lists, call tree. Pure. */
import { foldedPackage, isProjectFrame } from './project.js';
import {
  childrenCsr,
  childrenOf,
  frameKey,
  totalSamples,
  totalTime,
  type Frame,
  type ProfileTree,
} from './tree.js';

export interface FunctionStats extends Frame {
  selfSamples: number;
  totalSamples: number;
  /** ns (or samples when the profile has no time). */
  selfTime: number;
  totalTime: number;
  /**
   * Samples charged to this function as the project's code sees them: its self samples plus
   * those of the dependency frames it called (down to the next project frame). For a frame
   * outside the project that no project frame called, its self samples.
   */
  ownSamples: number;
  ownTime: number;
  /** True when the frame is the project's own code (see project.ts). */
  project: boolean;
  /** Calls, when the profiler counts them (cProfile); undefined for sampling profilers. */
  calls?: number;
  /** Own samples by source line (line → samples), when the profile has lines (tree.nodeLines). */
  lines?: Map<number, number>;
  /**
   * The part of a project function's own samples spent in dependencies, by package (folded as
   * in the flame graph, see foldedPackage): what "of which …" shows.
   */
  dependencies?: Map<string, number>;
  /** Own samples in each block of the recording (tree.nodeBlocks), when the profile has them. */
  blocks?: number[];
}

export interface ProfileSummary {
  source: string;
  hasTime: boolean;
  sampled: boolean;
  intervalUs: number;
  samples: number;
  /** ns, or samples when the profile has no time. */
  time: number;
  functions: FunctionStats[];
  /** All samples in each block of the recording (tree.nodeBlocks), when the profile has them. */
  blocks?: number[];
}

/**
 * Self and total samples/time per function. Total counts a recursive function once per stack
 * (a frame already on the stack above does not add its subtree again).
 */
export function summarize(tree: ProfileTree): ProfileSummary {
  const n = tree.nodeFrame.length;
  const subSamples = Float64Array.from(tree.nodeSamples);
  const subTime = Float64Array.from(tree.nodeTime);
  for (let node = n - 1; node > 0; node -= 1) {
    const parent = tree.nodeParent[node];
    subSamples[parent] += subSamples[node];
    subTime[parent] += subTime[node];
  }
  const stats: FunctionStats[] = tree.frames.map((frame) => ({
    ...frame,
    selfSamples: 0,
    totalSamples: 0,
    selfTime: 0,
    totalTime: 0,
    ownSamples: 0,
    ownTime: 0,
    project: isProjectFrame(frame),
  }));
  // The innermost project frame on each node's path, and the package a dependency node folds
  // into (parents come first, so one forward pass).
  const owner = new Int32Array(n).fill(-1);
  const pkg: Array<string | undefined> = [undefined];
  for (let node = 1; node < n; node += 1) {
    const frame = tree.nodeFrame[node];
    owner[node] = stats[frame].project ? frame : owner[tree.nodeParent[node]];
    pkg.push(foldedPackage(tree.frames[frame]!, pkg[tree.nodeParent[node]]));
  }
  for (let node = 1; node < n; node += 1) {
    const s = stats[tree.nodeFrame[node]];
    s.selfSamples += tree.nodeSamples[node];
    s.selfTime += tree.nodeTime[node];
    const o = stats[owner[node] >= 0 ? owner[node] : tree.nodeFrame[node]];
    o.ownSamples += tree.nodeSamples[node];
    o.ownTime += tree.nodeTime[node];
    const dependency = pkg[node];
    if (owner[node] >= 0 && dependency !== undefined && tree.nodeSamples[node] > 0) {
      const map = (o.dependencies ??= new Map());
      map.set(dependency, (map.get(dependency) ?? 0) + tree.nodeSamples[node]);
    }
  }
  let blocks: number[] | undefined;
  for (const [node, counts] of tree.nodeBlocks ?? []) {
    blocks ??= counts.map(() => 0);
    const o = stats[owner[node] >= 0 ? owner[node] : tree.nodeFrame[node]];
    if (!o) continue;
    const own = (o.blocks ??= counts.map(() => 0));
    counts.forEach((k, b) => {
      own[b] += k;
      blocks![b] += k;
    });
  }
  for (const [node, lines] of tree.nodeLines ?? []) {
    const s = stats[tree.nodeFrame[node]];
    if (!s) continue;
    const map = (s.lines ??= new Map());
    for (const [line, samples] of lines) map.set(line, (map.get(line) ?? 0) + samples);
  }
  // Depth-first walk with an on-stack counter per frame, iterative (stacks can be thousands
  // deep), over children in compressed arrays (no array per node: profiles have 100k+ nodes).
  const { start, list } = childrenCsr(tree);
  const onStack = new Int32Array(tree.frames.length);
  const work = new Int32Array(n * 2 + 2);
  let top = 0;
  work[top++] = 0; // node 0, entering
  while (top > 0) {
    const item = work[--top];
    const node = item >> 1;
    const frame = tree.nodeFrame[node];
    if ((item & 1) === 0) {
      if (frame >= 0) {
        if (onStack[frame] === 0) {
          stats[frame].totalSamples += subSamples[node];
          stats[frame].totalTime += subTime[node];
        }
        onStack[frame] += 1;
      }
      work[top++] = (node << 1) | 1; // leave after the children
      for (let c = start[node]; c < start[node + 1]; c += 1) work[top++] = list[c] << 1;
    } else if (frame >= 0) onStack[frame] -= 1;
  }
  return {
    source: tree.source,
    hasTime: tree.hasTime,
    sampled: tree.sampled,
    intervalUs: tree.intervalUs,
    samples: totalSamples(tree),
    time: totalTime(tree),
    functions: stats.filter((s) => s.totalSamples > 0 || s.totalTime > 0),
    ...(blocks ? { blocks } : {}),
  };
}

export function topBySelf(functions: readonly FunctionStats[], limit: number): FunctionStats[] {
  return [...functions]
    .sort((a, b) => b.selfTime - a.selfTime || b.selfSamples - a.selfSamples || cmpKey(a, b))
    .slice(0, limit);
}

export function topByTotal(functions: readonly FunctionStats[], limit: number): FunctionStats[] {
  return [...functions]
    .sort((a, b) => b.totalTime - a.totalTime || b.totalSamples - a.totalSamples || cmpKey(a, b))
    .slice(0, limit);
}

function cmpKey(a: Frame, b: Frame): number {
  const ka = frameKey(a);
  const kb = frameKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export interface CallTreeNode extends Frame {
  selfSamples: number;
  totalSamples: number;
  selfTime: number;
  totalTime: number;
  children: CallTreeNode[];
}

/**
 * Call tree (root's children), heaviest first, pruned below `minShare` of the total and below
 * `maxDepth` so it stays printable.
 */
export function callTree(tree: ProfileTree, minShare = 0.01, maxDepth = 64): CallTreeNode[] {
  const n = tree.nodeFrame.length;
  const subSamples = tree.nodeSamples.slice();
  const subTime = tree.nodeTime.slice();
  for (let node = n - 1; node > 0; node -= 1) {
    subSamples[tree.nodeParent[node]] += subSamples[node];
    subTime[tree.nodeParent[node]] += subTime[node];
  }
  const children = childrenOf(tree);
  const limit = subTime[0] * minShare;
  const build = (node: number, depth: number): CallTreeNode[] =>
    depth > maxDepth
      ? []
      : children[node]
          .filter((child) => subTime[child] > 0 && subTime[child] >= limit)
          .sort((a, b) => subTime[b] - subTime[a])
          .map((child) => ({
            ...tree.frames[tree.nodeFrame[child]],
            selfSamples: tree.nodeSamples[child],
            totalSamples: subSamples[child],
            selfTime: tree.nodeTime[child],
            totalTime: subTime[child],
            children: build(child, depth + 1),
          }));
  return build(0, 0);
}
