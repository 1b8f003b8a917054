/**
 * line_profiler results → line-level hot spots: `kernprof -l` writes a pickled `LineStats`
 * (`.lprof`: `timings` {(file, def line, function): [(line, hits, time)]} and `unit` in seconds);
 * `python -m line_profiler out.lprof` prints the same as text tables. "Top line changes" compares
 * the lines of a function present on both sides (lines matched by their offset from the `def`,
 * so code added above the function does not shift them). Pure.
 */
import { InputError, messageOf } from '../../model/errors.js';
import {
  PickledDict,
  PickledObject,
  PickledTuple,
  readPickle,
  type PickleValue,
} from './pickle.js';

export interface LineTiming {
  line: number;
  hits: number;
  /** Time on this line over the whole run, ns. */
  timeNs: number;
  /** The source line, when the text output printed it. */
  code?: string;
}

export interface FunctionLines {
  file: string;
  /** Line of the `def` (line_profiler's "at line N"). */
  line: number;
  name: string;
  totalNs: number;
  lines: LineTiming[];
}

export interface LineProfile {
  source: 'lprof' | 'line_profiler-text';
  functions: FunctionLines[];
}

function num(v: PickleValue | undefined): number {
  return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : NaN;
}

function dictGet(dict: PickleValue, key: string): PickleValue | undefined {
  if (!(dict instanceof PickledDict)) return undefined;
  return dict.entries.find(([k]) => k === key)?.[1];
}

export function looksLikeLprof(bytes: Uint8Array): boolean {
  // Pickle protocol ≥ 2 starts with PROTO; LineStats' class name is in the first bytes.
  if (bytes[0] !== 0x80) return false;
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  return head.includes('LineStats');
}

export function readLprof(bytes: Uint8Array, file: string): LineProfile {
  let data: PickleValue;
  try {
    data = readPickle(bytes);
  } catch (error) {
    throw new InputError(`not a readable .lprof pickle (${messageOf(error)})`, file);
  }
  if (!(data instanceof PickledObject) || !data.className.endsWith('LineStats'))
    throw new InputError('not a line_profiler LineStats pickle (kernprof -l output)', file);
  const timings = dictGet(data.state, 'timings');
  const unit = num(dictGet(data.state, 'unit'));
  if (!(timings instanceof PickledDict) || !(unit > 0))
    throw new InputError('LineStats without "timings" and "unit"', file);
  const functions: FunctionLines[] = [];
  for (const [key, value] of timings.entries) {
    if (!(key instanceof PickledTuple) || key.items.length !== 3 || !Array.isArray(value))
      throw new InputError(
        'a timings entry is not (file, line, function): [(line, hits, time)]',
        file,
      );
    const [path, defLine, name] = key.items;
    const lines: LineTiming[] = value.map((row) => {
      if (!(row instanceof PickledTuple) || row.items.length !== 3)
        throw new InputError('a line timing is not (line, hits, time)', file);
      return {
        line: num(row.items[0]),
        hits: num(row.items[1]),
        timeNs: num(row.items[2]) * unit * 1e9,
      };
    });
    functions.push({
      file: String(path),
      line: num(defLine),
      name: String(name),
      totalNs: lines.reduce((sum, l) => sum + l.timeNs, 0),
      lines,
    });
  }
  return { source: 'lprof', functions };
}

const TIMER = /^Timer unit: ([\d.eE+-]+) s\s*$/m;
const ROW = /^\s*(\d+)\s+(\d+)\s+([\d.eE+-]+)\s+([\d.eE+-]+)\s+([\d.]*)\s\s(.*)$/;

export function looksLikeLineProfilerText(text: string): boolean {
  return TIMER.test(text.slice(0, 200)) && /^Line #\s+Hits\s+Time/m.test(text);
}

/** `python -m line_profiler out.lprof` (or `kernprof -lv`) text. */
export function parseLineProfilerText(text: string, file: string): LineProfile {
  const timer = TIMER.exec(text);
  if (!timer) throw new InputError('no "Timer unit: … s" line: not line_profiler output', file);
  const unitNs = Number(timer[1]) * 1e9;
  const functions: FunctionLines[] = [];
  let current: FunctionLines | undefined;
  let path = '';
  text.split(/\r?\n/).forEach((raw, index) => {
    const fileMatch = /^File: (.*)$/.exec(raw);
    if (fileMatch) {
      path = fileMatch[1]!;
      return;
    }
    const fnMatch = /^Function: (.*) at line (\d+)\s*$/.exec(raw);
    if (fnMatch) {
      current = { file: path, line: Number(fnMatch[2]), name: fnMatch[1]!, totalNs: 0, lines: [] };
      functions.push(current);
      return;
    }
    if (!current) return;
    const row = ROW.exec(raw);
    if (!row) return;
    const timeNs = Number(row[3]) * unitNs;
    if (!Number.isFinite(timeNs))
      throw new InputError(
        `line ${index + 1}: time ${JSON.stringify(row[3])} is not a number`,
        file,
      );
    current.lines.push({
      line: Number(row[1]),
      hits: Number(row[2]),
      timeNs,
      code: row[6]!.trimEnd(),
    });
    current.totalNs += timeNs;
  });
  if (functions.length === 0) throw new InputError('no "Function: … at line N" table found', file);
  return { source: 'line_profiler-text', functions };
}

export function readLineProfile(bytes: Uint8Array, file: string): LineProfile {
  if (looksLikeLprof(bytes)) return readLprof(bytes, file);
  const text = Buffer.from(bytes).toString('utf8');
  if (looksLikeLineProfilerText(text)) return parseLineProfilerText(text, file);
  throw new InputError(
    'not line_profiler output: expected a kernprof -l .lprof file or `python -m line_profiler` text',
    file,
  );
}

export interface HotLine extends LineTiming {
  file: string;
  function: string;
  /** Share of all profiled time (0..1). */
  share: number;
}

/** The lines that took the most time, over all profiled functions. */
export function hotLines(profile: LineProfile, top: number): HotLine[] {
  const total = profile.functions.reduce((sum, f) => sum + f.totalNs, 0);
  return profile.functions
    .flatMap((f) =>
      f.lines.map((l) => ({
        ...l,
        file: f.file,
        function: f.name,
        share: total > 0 ? l.timeNs / total : 0,
      })),
    )
    .sort((a, b) => b.timeNs - a.timeNs || a.line - b.line)
    .slice(0, top);
}

export interface LineChange {
  file: string;
  function: string;
  /** Line numbers on each side (null: the line ran on one side only). */
  baseLine: number | null;
  headLine: number | null;
  baseHits: number;
  headHits: number;
  baseNs: number;
  headNs: number;
  code?: string;
}

/**
 * For each function profiled on both sides (same file and name), its lines whose time changed
 * most, biggest absolute change first; `top` lines per function.
 */
export function topLineChanges(base: LineProfile, head: LineProfile, top: number): LineChange[] {
  const key = (f: FunctionLines) => `${f.file}\u0000${f.name}`;
  const baseFns = new Map(base.functions.map((f) => [key(f), f]));
  const changes: LineChange[] = [];
  for (const h of head.functions) {
    const b = baseFns.get(key(h));
    if (!b) continue;
    const offsets = new Map<number, { b?: LineTiming; h?: LineTiming }>();
    for (const l of b.lines) offsets.set(l.line - b.line, { b: l });
    for (const l of h.lines)
      offsets.set(l.line - h.line, { ...offsets.get(l.line - h.line), h: l });
    const rows = [...offsets.values()].map(({ b: bl, h: hl }) => ({
      file: h.file,
      function: h.name,
      baseLine: bl?.line ?? null,
      headLine: hl?.line ?? null,
      baseHits: bl?.hits ?? 0,
      headHits: hl?.hits ?? 0,
      baseNs: bl?.timeNs ?? 0,
      headNs: hl?.timeNs ?? 0,
      ...((hl?.code ?? bl?.code) ? { code: (hl?.code ?? bl?.code)!.trim() } : {}),
    }));
    changes.push(
      ...rows
        .filter((r) => r.baseNs !== r.headNs || r.baseHits !== r.headHits)
        .sort((x, y) => Math.abs(y.headNs - y.baseNs) - Math.abs(x.headNs - x.baseNs))
        .slice(0, top),
    );
  }
  return changes;
}
