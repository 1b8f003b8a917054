/** ProfileTree ⇄ the Run's `profile` attachment. Pure. */
import type { ProfileAttachment, ProfileFunction, ProfileStacks } from '../model/profile.js';
import { summarize } from './analysis.js';
import type { DiffSide } from './diff.js';
import { TreeBuilder, stackOf, type ProfileTree } from './tree.js';

export const MAX_FUNCTIONS = 300;
export const MAX_STACKS = 2000;
/** Lines kept per function (the hot ones). */
export const MAX_LINES = 20;
/** Dependencies kept per function. */
export const MAX_DEPENDENCIES = 8;

/** A map's entries, largest value first (ties by key), at most `max`. */
function largest<K extends string | number>(map: Map<K, number>, max: number): Array<[K, number]> {
  return [...map]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, max);
}

export interface AttachmentInput {
  ops: number;
  durationMs: number;
  /** Median time of one op from the timing pass, ns (preferred scale for times per op). */
  opNs?: number;
  rawFile?: string;
  maxFunctions?: number;
  maxStacks?: number;
}

/** Times per op come from each function's share of the sampled time: share × (time / ops). */
export function toAttachment(tree: ProfileTree, input: AttachmentInput): ProfileAttachment {
  const summary = summarize(tree);
  const ops = input.ops > 0 ? input.ops : 1;
  // Time of the samples, scaled to the wall time of the pass (the profiler's timestamps cover
  // almost all of it; scaling keeps "share × time per op" exact).
  const sampledNs = summary.time > 0 ? summary.time : 1;
  const opNs = input.opNs && input.opNs > 0 ? input.opNs : (input.durationMs * 1e6) / ops;
  const scale = opNs / sampledNs;
  const functions: ProfileFunction[] = [...summary.functions]
    .filter((f) => f.selfSamples > 0 || f.totalSamples > 0)
    .sort(
      (a, b) =>
        Math.max(b.ownSamples, b.selfSamples) - Math.max(a.ownSamples, a.selfSamples) ||
        b.totalSamples - a.totalSamples,
    )
    .slice(0, input.maxFunctions ?? MAX_FUNCTIONS)
    .map((f) => ({
      name: f.name,
      file: f.file,
      line: f.line,
      selfSamples: f.selfSamples,
      totalSamples: f.totalSamples,
      self: f.selfTime * scale,
      total: f.totalTime * scale,
      ownSamples: f.ownSamples,
      own: f.ownTime * scale,
      project: f.project,
      ...(f.calls !== undefined ? { calls: f.calls / ops } : {}),
      ...(f.lines && f.lines.size > 0 ? { lines: largest(f.lines, MAX_LINES) } : {}),
      ...(f.dependencies && f.dependencies.size > 0
        ? { dependencies: largest(f.dependencies, MAX_DEPENDENCIES) }
        : {}),
      ...(f.blocks ? { blocks: f.blocks } : {}),
    }));
  return {
    source: tree.source,
    intervalUs: tree.intervalUs,
    samples: summary.samples,
    ops: input.ops,
    durationMs: input.durationMs,
    ...(input.opNs && input.opNs > 0 ? { opNs: input.opNs } : {}),
    functions,
    ...(input.rawFile ? { rawFile: input.rawFile } : {}),
    stacks: boundedStacks(tree, input.maxStacks ?? MAX_STACKS),
    ...(summary.blocks ? { blocks: summary.blocks } : {}),
  };
}

/**
 * The tree's stacks, at most `max` of them: nodes with the fewest samples are folded into their
 * parents until few enough remain, so widths stay right and only detail is lost.
 */
export function boundedStacks(tree: ProfileTree, max: number): ProfileStacks {
  const samples = tree.nodeSamples.slice();
  const time = tree.nodeTime.slice();
  const countLive = () => samples.reduce((n, s, i) => (i > 0 && s > 0 ? n + 1 : n), 0);
  for (let round = 0; round < 20 && countLive() > max; round += 1) {
    const live = samples.filter((s, i) => i > 0 && s > 0).sort((a, b) => b - a);
    const threshold = live[Math.min(max, live.length) - 1];
    for (let node = samples.length - 1; node > 0; node -= 1) {
      if (samples[node] > 0 && samples[node] <= threshold) {
        const parent = tree.nodeParent[node];
        samples[parent] += samples[node];
        time[parent] += time[node];
        samples[node] = 0;
        time[node] = 0;
      }
    }
  }
  const frameMap = new Map<number, number>();
  const frames: ProfileStacks['frames'] = [];
  const stacks: ProfileStacks['stacks'] = [];
  for (let node = 1; node < samples.length; node += 1) {
    if (samples[node] <= 0 && time[node] <= 0) continue;
    const stack = stackOf(tree, node).map((f) => {
      let index = frameMap.get(f);
      if (index === undefined) {
        index = frames.length;
        const { name, file, line } = tree.frames[f];
        frames.push({ name, file, line });
        frameMap.set(f, index);
      }
      return index;
    });
    stacks.push([stack, samples[node], time[node]]);
  }
  return { frames, stacks };
}

/** A tree rebuilt from an attachment's stacks (for flame graphs); undefined without stacks. */
export function treeFromAttachment(attachment: ProfileAttachment): ProfileTree | undefined {
  const stored = attachment.stacks;
  if (!stored) return undefined;
  const builder = new TreeBuilder(attachment.source, {
    hasTime: true,
    sampled: true,
    intervalUs: attachment.intervalUs,
  });
  const ids = stored.frames.map((f) => builder.frame(f));
  for (const [stack, samples, time] of stored.stacks) {
    builder.add(builder.path(stack.map((i) => ids[i])), samples, time);
  }
  return builder.tree;
}

/**
 * Diff side of an attachment, in ns per op of the profiling pass: samples × interval ÷ operations
 * profiled (the interval being the pass's mean, duration ÷ samples), so a function's value is its
 * own time per op, not a share that moves whenever anything else moves. Without the pass's
 * numbers, the timing pass's median scales the shares.
 */
export function attachmentSide(attachment: ProfileAttachment): DiffSide | undefined {
  if (!(attachment.samples > 0)) return undefined;
  const opNs =
    attachment.ops > 0 && attachment.durationMs > 0
      ? (attachment.durationMs * 1e6) / attachment.ops
      : attachment.opNs;
  if (!opNs) return undefined;
  return {
    functions: attachment.functions,
    samples: attachment.samples,
    exposure: attachment.samples / opNs,
    source: attachment.source,
    ...(attachment.blocks ? { blocks: attachment.blocks } : {}),
  };
}
