/** V8 `.cpuprofile` (node --cpu-prof, Chrome DevTools, inspector Profiler.stop) → ProfileTree. */
import { InputError } from '../../model/errors.js';
import { normalizePath } from '../normalize.js';
import { TreeBuilder, type ProfileTree } from '../tree.js';
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
}

export interface V8Profile {
  nodes: V8Node[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export function looksLikeV8(data: unknown): data is V8Profile {
  if (typeof data !== 'object' || data === null) return false;
  const p = data as Record<string, unknown>;
  return Array.isArray(p.nodes) && typeof p.startTime === 'number' && typeof p.endTime === 'number';
}

const PSEUDO_ROOT = '(root)';

export function v8ToTree(profile: V8Profile, file: string, options: ReadOptions = {}): ProfileTree {
  const { nodes } = profile;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0 && deltas.length !== samples.length)
    throw new InputError(
      `V8 profile has ${samples.length} samples but ${deltas.length} timeDeltas`,
      file,
    );
  const byId = new Map<number, V8Node>();
  const parentOf = new Map<number, number>();
  for (const node of nodes) {
    if (typeof node?.id !== 'number' || typeof node.callFrame !== 'object' || !node.callFrame)
      throw new InputError('V8 profile node without id or callFrame', file);
    byId.set(node.id, node);
    if (typeof node.parent === 'number') parentOf.set(node.id, node.parent);
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }

  const duration = Math.max(0, profile.endTime - profile.startTime);
  const intervalUs = samples.length > 0 && duration > 0 ? duration / samples.length : 1000;
  const builder = new TreeBuilder('v8', { hasTime: true, sampled: true, intervalUs });
  const own = options.ownUrls;
  const mapped = new Map<number, number>();
  const chain: number[] = [];

  // Tree node of a V8 node: parents first, without recursion (profiles can be deep).
  const resolve = (id: number): number => {
    const known = mapped.get(id);
    if (known !== undefined) return known;
    chain.length = 0;
    let cursor: number | undefined = id;
    while (cursor !== undefined && !mapped.has(cursor)) {
      chain.push(cursor);
      cursor = parentOf.get(cursor);
    }
    let parent = cursor === undefined ? 0 : (mapped.get(cursor) as number);
    for (let i = chain.length - 1; i >= 0; i -= 1) {
      const node = byId.get(chain[i]);
      if (!node) throw new InputError(`V8 profile refers to unknown node ${chain[i]}`, file);
      const { functionName, url, lineNumber } = node.callFrame;
      if (parentOf.get(chain[i]) === undefined && functionName === PSEUDO_ROOT) parent = 0;
      else if (own && own.has(url)) parent = 0;
      else {
        const frame = builder.frame({
          name: functionName || '(anonymous)',
          file: normalizePath(url, options.projectRoot),
          line: typeof lineNumber === 'number' && lineNumber >= 0 ? lineNumber + 1 : 0,
        });
        parent = builder.child(parent, frame);
      }
      mapped.set(chain[i], parent);
    }
    return parent;
  };

  // Sample i lasts until sample i+1 (DevTools' convention); the last one until endTime.
  let timestamp = profile.startTime;
  const times: number[] = new Array(samples.length);
  for (let i = 0; i < samples.length; i += 1) {
    timestamp += deltas[i];
    times[i] = timestamp;
  }
  for (let i = 0; i < samples.length; i += 1) {
    const next = i + 1 < samples.length ? times[i + 1] : profile.endTime;
    let us = next - times[i];
    if (!(us >= 0)) us = intervalUs;
    builder.add(resolve(samples[i]), 1, us * 1000);
  }
  return builder.tree;
}
