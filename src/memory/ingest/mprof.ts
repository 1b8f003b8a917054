/**
 * Python memory_profiler: `mprof run` writes a `.dat` file of lines
 *
 *     CMDLINE <command>
 *     MEM <MiB> <unix time>                       (RSS sampled every --interval seconds)
 *     FUNC <module.function> <MiB> <t> <MiB> <t> <depth>   (entry/exit of @profile functions)
 *     CHLD <pid> <MiB> <t>                         (children, with --include-children)
 *
 * → peak RSS, growth over time, and for @profile functions the calls and the RSS growth each
 * call leaves behind. Pure (text in, attachment out).
 */
import type { AllocationSite, MemoryAttachment } from '../../model/memory.js';
import { judgeForeignGrowth } from './growth.js';
import { maxOf } from '../../model/arrays.js';
import { readText, type LineReader } from '../../model/lines.js';

const MIB = 2 ** 20;

interface Sample {
  mib: number;
  t: number;
}

interface FuncCall {
  name: string;
  memStart: number;
  memEnd: number;
  tStart: number;
}

/**
 * An mprof .dat file, line by line (a long run has hundreds of thousands of samples: nothing
 * holds the text whole). Throws a plain Error naming the line when it is not an mprof file.
 */
export function mprofReader(): LineReader<MemoryAttachment> {
  const mem: Sample[] = [];
  const calls = new Map<string, FuncCall[]>();
  let command = '';
  return {
    line(raw, number) {
      const line = raw.trim();
      if (line === '') return;
      const fields = line.split(/\s+/);
      const kind = fields[0];
      const bad = () =>
        new Error(`line ${number}: malformed ${kind} record: ${JSON.stringify(clip(line))}`);
      if (kind === 'CMDLINE') {
        command = line.slice('CMDLINE'.length).trim();
      } else if (kind === 'MEM' || kind === 'CHLD') {
        const values = (kind === 'MEM' ? fields.slice(1, 3) : fields.slice(2, 4)).map(Number);
        if (values.length !== 2 || values.some((v) => !Number.isFinite(v))) throw bad();
        if (kind === 'MEM') mem.push({ mib: values[0]!, t: values[1]! });
      } else if (kind === 'FUNC') {
        const values = fields.slice(2, 6).map(Number);
        if (fields.length < 6 || values.some((v) => !Number.isFinite(v))) throw bad();
        const name = fields[1]!;
        let list = calls.get(name);
        if (!list) calls.set(name, (list = []));
        list.push({ name, memStart: values[0]!, tStart: values[1]!, memEnd: values[2]! });
      } else {
        throw new Error(
          `line ${number}: not an mprof record (expected CMDLINE, MEM, FUNC or CHLD): ${JSON.stringify(clip(line))}`,
        );
      }
    },
    end: () => summarizeMprof(mem, calls, command),
  };
}

/** Parses the text of an mprof .dat file (pure). */
export function parseMprof(text: string): MemoryAttachment {
  return readText(mprofReader(), text);
}

function summarizeMprof(
  mem: Sample[],
  byName: Map<string, FuncCall[]>,
  command: string,
): MemoryAttachment {
  if (mem.length === 0) throw new Error('no MEM samples: not an `mprof run` .dat file');
  mem.sort((a, b) => a.t - b.t);

  const peakRss = maxOf(mem.map((m) => m.mib)) * MIB;
  // Operations: calls of the most-called @profile function; without any, one op per second.
  // (Calls are grouped as they are read: a long run has one list per function, never copied.)
  const mostCalled = [...byName.values()].sort((a, b) => b.length - a.length)[0];
  const opTimes = mostCalled ? mostCalled.map((c) => c.tStart).sort((a, b) => a - b) : null;
  const opsAt = (t: number) => (opTimes ? upperBound(opTimes, t) : t - mem[0]!.t); // seconds since start when no FUNC
  const growth = judgeForeignGrowth(mem.map((m) => ({ x: opsAt(m.t), bytes: m.mib * MIB })));
  const script = command.split(/\s+/).find((part) => /\.py$/.test(part)) ?? command;
  const topAllocations: AllocationSite[] = [...byName.entries()]
    .map(([qualified, list]) => {
      const dot = qualified.lastIndexOf('.');
      const module = dot > 0 ? qualified.slice(0, dot) : '';
      const grown = list.reduce((sum, c) => sum + Math.max(0, c.memEnd - c.memStart), 0) * MIB;
      return {
        name: dot > 0 ? qualified.slice(dot + 1) : qualified,
        file: module === '__main__' || module === '' ? script : module,
        line: 0,
        bytesPerOp: grown / list.length,
      };
    })
    .filter((site) => site.bytesPerOp > 0)
    .sort((a, b) => b.bytesPerOp - a.bytesPerOp);
  return {
    // mprof samples RSS: allocations are not visible, only what the process keeps.
    allocBytesPerOp: 0,
    retainedBytesPerOp: growth.bytesPerX,
    leak: growth.leak,
    peakRss,
    peakHeap: peakRss,
    topAllocations,
    method: opTimes ? `mprof (per call of ${mostCalled![0]!.name})` : 'mprof (per second)',
  };
}

/** Number of sorted values ≤ t. */
function upperBound(sorted: number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
