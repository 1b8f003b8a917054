/** V8 `.cpuprofile` (node --cpu-prof, Chrome DevTools, inspector Profiler.stop) → ProfileTree. */
import { InputError } from '../../model/errors.js';
import { FieldCheck } from '../../model/fields.js';
import { normalizePath } from '../../text/paths.js';
import { isProjectFrame } from '../project.js';
import { blockOf, TIME_BLOCKS, TreeBuilder, type Frame, type ProfileTree } from '../tree.js';
import type { ReadOptions } from './options.js';

export interface V8CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

export interface V8Node {
  id: number;
  callFrame: V8CallFrame;
  children?: number[];
  parent?: number;
  /** Self samples by source line (1-based), when the profiler recorded them. */
  positionTicks?: Array<{ line: number; ticks: number }>;
}

export interface V8Profile {
  nodes: V8Node[];
  startTime: number;
  endTime: number;
  samples?: ArrayLike<number>;
  timeDeltas?: ArrayLike<number>;
}

export function looksLikeV8(data: unknown): data is V8Profile {
  if (typeof data !== 'object' || data === null) return false;
  const p = data as Record<string, unknown>;
  return Array.isArray(p.nodes) && typeof p.startTime === 'number' && typeof p.endTime === 'number';
}

const PSEUDO_ROOT = '(root)';

/** True when no project frame is above this node's (dependency) frame, or it is project code. */
function ownsItsSamples(tree: ProfileTree, node: number, frames: readonly Frame[]): boolean {
  if (isProjectFrame(frames[tree.nodeFrame[node]]!)) return true;
  for (let n = tree.nodeParent[node]; n > 0; n = tree.nodeParent[n])
    if (isProjectFrame(frames[tree.nodeFrame[n]]!)) return false;
  return true;
}

/** Every field v8ToTree reads, checked by type (the refusal names the field). */
export function checkV8Profile(data: unknown, file: string): V8Profile {
  const check = new FieldCheck(file, 'V8 .cpuprofile');
  const profile = check.object(data, '');
  const nodes = check.array(profile.nodes, 'nodes');
  for (let i = 0; i < nodes.length; i += 1) {
    const at = `nodes[${i}]`;
    const node = check.object(nodes[i], at);
    check.integer(node.id, `${at}.id`);
    const frame = check.object(node.callFrame, `${at}.callFrame`);
    check.string(frame.functionName, `${at}.callFrame.functionName`);
    check.string(frame.url, `${at}.callFrame.url`);
    check.integer(frame.lineNumber, `${at}.callFrame.lineNumber`);
    check.optionalInteger(frame.columnNumber, `${at}.callFrame.columnNumber`);
    if (frame.scriptId !== undefined && typeof frame.scriptId !== 'number')
      check.string(frame.scriptId, `${at}.callFrame.scriptId`);
    if (node.children !== undefined && node.children !== null)
      check.integers(node.children, `${at}.children`);
    check.optionalInteger(node.parent, `${at}.parent`);
    check.optionalNumber(node.hitCount, `${at}.hitCount`);
    if (node.positionTicks !== undefined && node.positionTicks !== null) {
      const ticks = check.array(node.positionTicks, `${at}.positionTicks`);
      for (let t = 0; t < ticks.length; t += 1) {
        const tick = check.object(ticks[t], `${at}.positionTicks[${t}]`);
        check.integer(tick.line, `${at}.positionTicks[${t}].line`);
        check.integer(tick.ticks, `${at}.positionTicks[${t}].ticks`);
      }
    }
  }
  check.number(profile.startTime, 'startTime');
  check.number(profile.endTime, 'endTime');
  if (profile.samples !== undefined && profile.samples !== null)
    check.integers(profile.samples, 'samples');
  if (profile.timeDeltas !== undefined && profile.timeDeltas !== null)
    check.numbers(profile.timeDeltas, 'timeDeltas');
  return data as V8Profile;
}

export function v8ToTree(data: unknown, file: string, options: ReadOptions = {}): ProfileTree {
  const profile = checkV8Profile(data, file);
  const { nodes } = profile;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0 && deltas.length !== samples.length)
    throw new InputError(
      `V8 profile has ${samples.length} samples but ${deltas.length} timeDeltas`,
      file,
    );
  // Ids are usually 1..n: index them with a typed array, a Map otherwise.
  let maxId = 0;
  for (const node of nodes) {
    if (typeof node?.id !== 'number' || typeof node.callFrame !== 'object' || !node.callFrame)
      throw new InputError('V8 profile node without id or callFrame', file);
    if (node.id > maxId) maxId = node.id;
  }
  const dense = Number.isInteger(maxId) && maxId >= 0 && maxId < 4 * nodes.length + 16;
  const denseIndex = dense ? new Int32Array(maxId + 1).fill(-1) : undefined;
  const sparseIndex = dense ? undefined : new Map<number, number>();
  nodes.forEach((node, i) => {
    if (denseIndex) denseIndex[node.id] = i;
    else sparseIndex!.set(node.id, i);
  });
  const indexOf = (id: number): number => {
    const i = denseIndex ? (denseIndex[id] ?? -1) : (sparseIndex!.get(id) ?? -1);
    if (i < 0 || i === undefined)
      throw new InputError(`V8 profile refers to unknown node ${id}`, file);
    return i;
  };
  const parent = new Int32Array(nodes.length).fill(-1);
  nodes.forEach((node, i) => {
    if (typeof node.parent === 'number') parent[i] = indexOf(node.parent);
    for (const child of node.children ?? []) parent[indexOf(child)] = i;
  });

  const duration = Math.max(0, profile.endTime - profile.startTime);
  const intervalUs = samples.length > 0 && duration > 0 ? duration / samples.length : 1000;
  const builder = new TreeBuilder('v8', { hasTime: true, sampled: true, intervalUs });
  const own = options.ownUrls;
  const files = new Map<string, string>();
  const frameOf = new Map<string, number>();
  // Tree node of every V8 node, parents first, without recursion (profiles can be deep).
  const mapped = new Int32Array(nodes.length).fill(-1);
  const chain: number[] = [];
  for (let start = 0; start < nodes.length; start += 1) {
    if (mapped[start] >= 0) continue;
    chain.length = 0;
    let cursor = start;
    while (cursor >= 0 && mapped[cursor] < 0) {
      chain.push(cursor);
      cursor = parent[cursor];
      if (chain.length > nodes.length) throw new InputError('V8 profile nodes form a cycle', file);
    }
    let treeNode = cursor < 0 ? 0 : mapped[cursor];
    for (let i = chain.length - 1; i >= 0; i -= 1) {
      const index = chain[i];
      const { functionName, url, lineNumber } = nodes[index].callFrame;
      if (parent[index] < 0 && functionName === PSEUDO_ROOT) treeNode = 0;
      else if (own && own.has(url)) treeNode = 0;
      else {
        // Short key first: hashing each node's long URL again would dominate large profiles.
        const { scriptId, columnNumber } = nodes[index].callFrame as V8CallFrame & {
          scriptId?: string;
        };
        const short = `${scriptId ?? ''}:${lineNumber}:${columnNumber ?? ''}:${functionName}`;
        let frame = frameOf.get(short);
        if (frame === undefined) {
          let normalized = files.get(url);
          if (normalized === undefined) {
            normalized = normalizePath(url, options.projectRoot);
            files.set(url, normalized);
          }
          frame = builder.frame({
            name: functionName || '(anonymous)',
            file: normalized,
            line: typeof lineNumber === 'number' && lineNumber >= 0 ? lineNumber + 1 : 0,
          });
          if (scriptId !== undefined) frameOf.set(short, frame);
        }
        treeNode = builder.child(treeNode, frame);
      }
      mapped[index] = treeNode;
    }
  }

  // Sample i lasts until sample i+1 (DevTools' convention): timeDeltas[i + 1]; the last one
  // until endTime. Counted per V8 node first (a dense typed array), then added to the tree.
  const count = new Float64Array(nodes.length);
  const time = new Float64Array(nodes.length);
  // Samples by block of the recording (samples come in time order), per V8 node.
  const blocks = new Int32Array(nodes.length * TIME_BLOCKS);
  let last = profile.startTime;
  for (let i = 0; i < samples.length; i += 1) last += deltas[i];
  for (let i = 0; i < samples.length; i += 1) {
    let us = i + 1 < samples.length ? deltas[i + 1] : profile.endTime - last;
    if (!(us >= 0)) us = intervalUs;
    const index = indexOf(samples[i]);
    count[index] += 1;
    time[index] += us * 1000;
    blocks[index * TIME_BLOCKS + blockOf(i, samples.length)] += 1;
  }
  for (let index = 0; index < nodes.length; index += 1) {
    if (!(count[index] > 0)) continue;
    builder.add(mapped[index], count[index], time[index]);
    for (let b = 0; b < TIME_BLOCKS; b += 1) {
      const k = blocks[index * TIME_BLOCKS + b]!;
      if (k > 0) builder.addBlock(mapped[index], b, k);
    }
  }
  // Hot lines: V8's per-line self ticks. A node outside the project whose samples are charged to
  // a project caller has no line there (V8 does not record call sites), so only nodes that own
  // their samples count (project code, or code no project frame called).
  const frames = builder.tree.frames;
  for (let index = 0; index < nodes.length; index += 1) {
    const ticks = nodes[index].positionTicks;
    if (!Array.isArray(ticks) || ticks.length === 0 || mapped[index] <= 0) continue;
    if (!ownsItsSamples(builder.tree, mapped[index], frames)) continue;
    for (const t of ticks) builder.addLine(mapped[index], Number(t.line), Number(t.ticks));
  }
  return builder.tree;
}
