/**
 * The in-memory profile every format is converted to: a call tree of normalised frames with
 * sample counts and time at each node. Nodes are created parent-first, so a parent's index is
 * always smaller than its children's (analysis walks the arrays backwards instead of recursing).
 */
import { isProjectFrame } from './project.js';

export interface Frame {
  /** Function name; `(anonymous)` when the profiler has none; pseudo-frames like `(garbage collector)`. */
  name: string;
  /** Repo-relative, normalised file ('' when unknown or native). */
  file: string;
  /** 1-based line of the function's definition; 0 when unknown. */
  line: number;
}

export interface ProfileTree {
  /** Format the profile came from ('v8', 'pprof', 'collapsed', 'speedscope', 'pstats', 'perf'). */
  source: string;
  frames: Frame[];
  /** Frame index of each node; -1 for the root (node 0). */
  nodeFrame: number[];
  /** Parent node of each node; -1 for the root. */
  nodeParent: number[];
  /** Samples taken with this node on top of the stack. */
  nodeSamples: number[];
  /** Time (ns) spent with this node on top of the stack; equals samples when `hasTime` is false. */
  nodeTime: number[];
  /** False when the format only has counts (collapsed stacks, perf without periods). */
  hasTime: boolean;
  /**
   * False when counts are not samples of a sampling profiler (cProfile/tracing): the noise test
   * then uses pseudo-samples of `intervalUs`.
   */
  sampled: boolean;
  /** Sampling interval, µs (measured mean when the profile has timestamps). */
  intervalUs: number;
  /** pprof: the sample type the values are (`inuse_space/bytes`), when not CPU time. */
  sampleType?: string;
  /**
   * Samples by source line, for the nodes that own them (see ownerIndex): node → line → samples.
   * A line is where the node's function was executing or, for time in the dependencies it
   * called, the line it called them from. Absent when the format has no line information.
   */
  nodeLines?: Map<number, Map<number, number>>;
  /**
   * Samples by block of the recording, for the nodes that have any: node → samples in each of
   * TIME_BLOCKS consecutive, equal runs of samples (the recording cut in time order). What a
   * function's share does within one recording (spread.ts). Absent when the format has no sample
   * order (pprof, collapsed stacks, cProfile).
   */
  nodeBlocks?: Map<number, number[]>;
}

/** Blocks a recording is cut into (see ProfileTree.nodeBlocks). */
export const TIME_BLOCKS = 8;

/** Block of sample `index` of `count` samples in time order. */
export function blockOf(index: number, count: number): number {
  return Math.min(TIME_BLOCKS - 1, Math.floor((index * TIME_BLOCKS) / Math.max(1, count)));
}

/**
 * Index in a stack (root first) of the frame a sample is charged to as the project sees it: the
 * innermost project frame, else the innermost frame (see project.ts and summarize).
 */
export function ownerIndex(stack: readonly Frame[]): number {
  for (let i = stack.length - 1; i >= 0; i -= 1) if (isProjectFrame(stack[i]!)) return i;
  return stack.length - 1;
}

export function frameKey(frame: Frame): string {
  return `${frame.name}\u0000${frame.file}\u0000${frame.line}`;
}

/** Builds a ProfileTree, interning frames and merging equal children (same frame, same parent). */
export class TreeBuilder {
  private readonly frameIndex = new Map<string, number>();
  /** (parent, frame) → node, keyed by parent · 2^22 + frame (exact below 2^31 nodes, 4M frames). */
  private readonly childIndex = new Map<number, number>();
  readonly tree: ProfileTree;

  constructor(source: string, options: { hasTime: boolean; sampled: boolean; intervalUs: number }) {
    this.tree = {
      source,
      frames: [],
      nodeFrame: [-1],
      nodeParent: [-1],
      nodeSamples: [0],
      nodeTime: [0],
      ...options,
    };
  }

  frame(frame: Frame): number {
    const key = frameKey(frame);
    let index = this.frameIndex.get(key);
    if (index === undefined) {
      index = this.tree.frames.length;
      this.tree.frames.push(frame);
      this.frameIndex.set(key, index);
    }
    return index;
  }

  /** The child of `parent` for `frame` (frame index), created when missing. */
  child(parent: number, frame: number): number {
    const key = parent * 4194304 + frame;
    let node = this.childIndex.get(key);
    if (node === undefined) {
      const t = this.tree;
      node = t.nodeFrame.length;
      t.nodeFrame.push(frame);
      t.nodeParent.push(parent);
      t.nodeSamples.push(0);
      t.nodeTime.push(0);
      this.childIndex.set(key, node);
    }
    return node;
  }

  /** Node of a whole stack (frame indices, root first). */
  path(stack: readonly number[]): number {
    let node = 0;
    for (const frame of stack) node = this.child(node, frame);
    return node;
  }

  /** Adds samples of `node` at a source line (1-based; ignored when unknown). */
  addLine(node: number, line: number, samples: number): void {
    if (!(line > 0) || !(samples > 0)) return;
    const lines = (this.tree.nodeLines ??= new Map());
    let map = lines.get(node);
    if (!map) lines.set(node, (map = new Map()));
    map.set(line, (map.get(line) ?? 0) + samples);
  }

  /** Adds samples of `node` in block `block` (see ProfileTree.nodeBlocks). */
  addBlock(node: number, block: number, samples: number): void {
    const blocks = (this.tree.nodeBlocks ??= new Map());
    let counts = blocks.get(node);
    if (!counts) blocks.set(node, (counts = new Array<number>(TIME_BLOCKS).fill(0)));
    counts[block] = (counts[block] ?? 0) + samples;
  }

  add(node: number, samples: number, time: number): void {
    this.tree.nodeSamples[node] += samples;
    this.tree.nodeTime[node] += time;
  }

  /** Adds a sample of a stack given as frames (root first). */
  addStack(stack: readonly Frame[], samples: number, time: number): void {
    let node = 0;
    for (const frame of stack) node = this.child(node, this.frame(frame));
    this.add(node, samples, time);
  }
}

export function totalSamples(tree: ProfileTree): number {
  let sum = 0;
  for (const s of tree.nodeSamples) sum += s;
  return sum;
}

export function totalTime(tree: ProfileTree): number {
  let sum = 0;
  for (const t of tree.nodeTime) sum += t;
  return sum;
}

/** Children lists of every node (built on demand: parsers do not need them). */
export function childrenOf(tree: ProfileTree): number[][] {
  const children: number[][] = tree.nodeFrame.map(() => []);
  for (let node = 1; node < tree.nodeParent.length; node += 1) {
    children[tree.nodeParent[node]].push(node);
  }
  return children;
}

/** Children of every node in compressed form: node i's children are list[start[i]..start[i+1]). */
export function childrenCsr(tree: ProfileTree): { start: Int32Array; list: Int32Array } {
  const n = tree.nodeParent.length;
  const start = new Int32Array(n + 1);
  for (let node = 1; node < n; node += 1) start[tree.nodeParent[node] + 1] += 1;
  for (let i = 0; i < n; i += 1) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const list = new Int32Array(Math.max(0, n - 1));
  for (let node = 1; node < n; node += 1) list[fill[tree.nodeParent[node]]++] = node;
  return { start, list };
}

/** Stack of a node as frame indices, root first. */
export function stackOf(tree: ProfileTree, node: number): number[] {
  const stack: number[] = [];
  for (let n = node; n > 0; n = tree.nodeParent[n]) stack.push(tree.nodeFrame[n]);
  return stack.reverse();
}
