/**
 * Python cProfile / profile output (`python -m cProfile -o out.prof`): a marshalled dict
 * `{(file, line, name): (primitive calls, calls, tottime, cumtime, {caller: (…)})}`.
 * Self/total times are exact (deterministic profiler); the call tree is reconstructed from the
 * caller edges, splitting each function's time among its callers by their share (as gprof and
 * flameprof do), for flame graphs.
 */
import { InputError } from '../../model/errors.js';
import { summarize, type FunctionStats, type ProfileSummary } from '../analysis.js';
import { isProjectFrame } from '../project.js';
import { normalizePath } from '../../text/paths.js';
import { TreeBuilder, frameKey, type Frame, type ProfileTree } from '../tree.js';
import { MarshalDict, MarshalTuple, readMarshal, type MarshalValue } from './marshal.js';
import type { ReadOptions } from './options.js';

/** cProfile has no samples: the noise test counts one pseudo-sample per millisecond. */
const PSEUDO_INTERVAL_US = 1000;
const NS = 1e9;

interface Entry {
  frame: Frame;
  key: string;
  tt: number;
  ct: number;
  /** Calls (nc, recursive calls included). */
  calls: number;
  /** caller key → cumulative time of the calls from that caller, s. */
  callers: Map<string, number>;
}

export function looksLikePstats(bytes: Uint8Array): boolean {
  return bytes.length > 1 && (bytes[0] === 0x7b || bytes[0] === 0xfb);
}

function num(v: MarshalValue): number {
  return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : NaN;
}

function frameOf(key: MarshalValue, file: string, projectRoot?: string): Frame {
  if (!(key instanceof MarshalTuple) || key.items.length !== 3)
    throw new InputError('pstats key is not a (file, line, name) tuple', file);
  const [path, line, name] = key.items;
  if (typeof path !== 'string' || typeof name !== 'string')
    throw new InputError('pstats key is not a (file, line, name) tuple', file);
  // Built-ins are ('~', 0, '<built-in method x>'): pstats prints them as {built-in method x}.
  if (path === '~')
    return {
      name: name.startsWith('<') && name.endsWith('>') ? `{${name.slice(1, -1)}}` : name,
      file: '',
      line: 0,
    };
  return { name, file: normalizePath(path, projectRoot), line: Math.max(0, num(line) || 0) };
}

export function readPstats(
  bytes: Uint8Array,
  file: string,
  options: ReadOptions = {},
): { tree: ProfileTree; summary: ProfileSummary } {
  let data: MarshalValue;
  try {
    data = readMarshal(bytes);
  } catch (error) {
    throw new InputError(`not a valid pstats file (${(error as Error).message})`, file);
  }
  if (!(data instanceof MarshalDict))
    throw new InputError('pstats file does not hold a dict', file);
  const entries = new Map<string, Entry>();
  const rawKeys = new Map<MarshalValue, string>();
  const keyOf = (k: MarshalValue) => {
    let key = rawKeys.get(k);
    if (key === undefined) {
      key = frameKey(frameOf(k, file, options.projectRoot));
      rawKeys.set(k, key);
    }
    return key;
  };
  for (const [k, v] of data.entries) {
    if (!(v instanceof MarshalTuple) || v.items.length < 5 || !(v.items[4] instanceof MarshalDict))
      throw new InputError('pstats value is not (cc, nc, tt, ct, callers)', file);
    const frame = frameOf(k, file, options.projectRoot);
    const key = frameKey(frame);
    const callers = new Map<string, number>();
    for (const [ck, cv] of (v.items[4] as MarshalDict).entries) {
      // Python 3 callers hold (cc, nc, tt, ct); very old files hold only a call count.
      const ct = cv instanceof MarshalTuple ? num(cv.items[3]) : 0;
      callers.set(keyOf(ck), (callers.get(keyOf(ck)) ?? 0) + (Number.isFinite(ct) ? ct : 0));
    }
    const existing = entries.get(key);
    const tt = num(v.items[2]);
    const ct = num(v.items[3]);
    const calls = num(v.items[1]);
    if (!Number.isFinite(tt) || !Number.isFinite(ct))
      throw new InputError('pstats times are not numbers', file);
    if (existing) {
      existing.tt += tt;
      existing.ct += ct;
      existing.calls += Number.isFinite(calls) ? calls : 0;
      for (const [c, t] of callers) existing.callers.set(c, (existing.callers.get(c) ?? 0) + t);
    } else
      entries.set(key, { frame, key, tt, ct, calls: Number.isFinite(calls) ? calls : 0, callers });
  }

  const tree = reconstructTree(entries);
  // Self/total are exact from the stats; time charged to project callers needs the call tree.
  const fromTree = new Map(summarize(tree).functions.map((f) => [frameKey(f), f]));
  const functions: FunctionStats[] = [...entries.values()].map((e) => {
    const own = fromTree.get(e.key);
    const selfSamples = (e.tt * NS) / (PSEUDO_INTERVAL_US * 1000);
    return {
      ...e.frame,
      selfSamples,
      totalSamples: (e.ct * NS) / (PSEUDO_INTERVAL_US * 1000),
      selfTime: e.tt * NS,
      totalTime: e.ct * NS,
      ownSamples: own ? own.ownSamples : selfSamples,
      ownTime: own ? own.ownTime : e.tt * NS,
      project: isProjectFrame(e.frame),
      calls: e.calls,
    };
  });
  const time = [...entries.values()].reduce((sum, e) => sum + e.tt * NS, 0);
  return {
    tree,
    summary: {
      source: 'pstats',
      hasTime: true,
      sampled: false,
      intervalUs: PSEUDO_INTERVAL_US,
      samples: time / (PSEUDO_INTERVAL_US * 1000),
      time,
      functions: functions.filter((f) => f.totalTime > 0 || f.selfTime > 0),
    },
  };
}

/** Call tree from caller edges: each function's time is split among its callers by their share. */
function reconstructTree(entries: Map<string, Entry>): ProfileTree {
  const builder = new TreeBuilder('pstats', {
    hasTime: true,
    sampled: false,
    intervalUs: PSEUDO_INTERVAL_US,
  });
  const callees = new Map<string, Array<[string, number]>>();
  for (const e of entries.values())
    for (const [caller, ct] of e.callers) {
      if (!callees.has(caller)) callees.set(caller, []);
      callees.get(caller)!.push([e.key, ct]);
    }
  const total = [...entries.values()].reduce((sum, e) => sum + e.tt, 0);
  const cutoff = total * 1e-4;
  const onPath = new Set<string>();
  let budget = 200_000; // nodes: keeps pathological call graphs bounded
  const expand = (key: string, node: number, share: number, depth: number) => {
    const e = entries.get(key);
    if (!e || budget <= 0) return;
    budget -= 1;
    let self = e.tt * share;
    onPath.add(key);
    for (const [callee, edgeCt] of callees.get(key) ?? []) {
      const c = entries.get(callee);
      if (!c || !(c.ct > 0)) continue;
      const childShare = (share * edgeCt) / c.ct;
      const time = c.ct * childShare;
      if (time < cutoff) {
        // Too small to draw: keep its time here so that widths still add up.
        self += time;
      } else if (onPath.has(callee) || depth >= 128 || budget <= 0) {
        // Recursion: cProfile's edge times of a recursive call are already inside the outer
        // call's time, so it is not drawn again (recursive functions come out a little short).
        continue;
      } else {
        expand(callee, builder.child(node, builder.frame(c.frame)), childShare, depth + 1);
      }
    }
    onPath.delete(key);
    builder.add(node, (self * NS) / (PSEUDO_INTERVAL_US * 1000), self * NS);
  };
  // Roots: the part of each function's time that no recorded caller accounts for (the
  // top-level call; recursion through other functions makes "has no caller" too strict).
  for (const e of entries.values()) {
    if (!(e.ct > 0)) continue;
    let fromCallers = 0;
    for (const [caller, ct] of e.callers)
      if (entries.has(caller) && caller !== e.key) fromCallers += ct;
    const rootTime = e.ct - fromCallers;
    if (rootTime > cutoff)
      expand(e.key, builder.child(0, builder.frame(e.frame)), rootTime / e.ct, 0);
  }
  return builder.tree;
}
