/**
 * `npm run bench memory`: accuracy and cost of the memory pass (src/memory/capture.ts).
 *
 * - Accuracy: tasks that allocate a known number of bytes (`new Array(n)`: a 32-byte JSArray, a
 *   16-byte FixedArray header and 8 bytes per element on 64-bit V8 without pointer compression),
 *   measured allocation per op vs expected, and the sampling profiler's estimate of the site.
 * - Leak detection: false leaks on tasks that keep nothing, detection of tasks that keep a known
 *   number of bytes per op.
 * - Cost: wall time of one memory pass per benchmark at the default settings, and how much the
 *   sampling heap profiler slows the task while it records.
 *
 * Writes docs/benchmarks/memory.md. Run by scripts/bench.mjs in `node --expose-gc`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { captureMemory } from '../src/memory/capture.js';
import type { MemoryOptions } from '../src/memory/options.js';
import type { MemoryAttachment } from '../src/model/memory.js';
import { formatBytes } from '../src/text/format.js';

// The tasks live in their own module: code bundled with perfgate counts as perfgate's own.
const TASKS = `
export const kept = [];
// The array escapes into a module-level slot: otherwise TurboFan's escape analysis removes
// the allocation (or part of it) and the task truly allocates less than the source says.
export let last;
export function array10() { last = new Array(10); }
export function array100() { last = new Array(100); }
export function array1000() { last = new Array(1000); }
export function array10000() { last = new Array(10000); }
export function localArray10() { const a = new Array(10); a[0] = 1; return a.length; }
export function localArray100() { const a = new Array(100); a[0] = 1; return a.length; }
export function keep64() { kept.push(new Array(4)); }
export function keep512() { kept.push(new Array(60)); }
export function keep4096() { kept.push(new Array(508)); }
export function steadyObjects() { const o = { a: [1, 2, 3], b: 'x'.repeat(40) + kept.length }; return o.b.length; }
export async function steadyAsync() { await null; return JSON.stringify({ a: [1, 2, 3] }).length; }
export function steadyCompute() { let t = 0; for (let i = 0; i < 200; i++) t = (t + i * i) % 1000003; return t; }
`;

const expectedArray = (n: number) => 32 + 16 + 8 * n;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'perfgate-bench-memory-'));
  const file = join(dir, 'tasks.mjs');
  await writeFile(file, TASKS);
  const tasks = (await import(pathToFileURL(file).href)) as Record<string, () => unknown> & {
    kept: unknown[];
  };
  const ctx = {
    benchmarkId: 'bench',
    benchFile: file,
    projectRoot: dir,
    outDir: dir,
    medianNs: NaN,
  };
  // The defaults of src/memory/options.ts (not imported: the bench bundle keeps packages out).
  const defaults: MemoryOptions = {
    enabled: true,
    rounds: 10,
    threshold: 0.1,
    snapshots: false,
    roundTime: 50,
    samplingInterval: 16384,
    leakAlpha: 0.001,
    top: 10,
  };
  const capture = (name: string, options: MemoryOptions = defaults) =>
    captureMemory({ name, fn: tasks[name]! }, ctx, options) as Promise<MemoryAttachment>;

  const lines: string[] = [];
  const out = (line = '') => {
    lines.push(line);
    console.log(line);
  };
  out('# Memory pass: accuracy and cost');
  out();
  out(
    `Measured by \`npm run bench memory\` (bench/memory.ts) on ${cpus()[0]?.model ?? 'unknown CPU'} ` +
      `(${cpus().length} cores), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. ` +
      'The machine is shared and noisy; allocation counts do not depend on that, times do.',
  );
  out();

  // 1. Accuracy against known allocation sizes.
  out('## Allocation per operation against a known size');
  out();
  out(
    'Default settings (10 rounds of ~50 ms, sampling interval 16 KiB). Expected: `new Array(n)` = 48 + 8n bytes.',
  );
  out();
  out('| Task | Expected / op | Measured / op | Error | Sampled site / op | Site error |');
  out('| :--- | ---: | ---: | ---: | ---: | ---: |');
  for (const n of [10, 100, 1000, 10000]) {
    const name = `array${n}`;
    const memory = await capture(name);
    const expected = expectedArray(n);
    const site = memory.topAllocations.find((s) => s.name === name)?.bytesPerOp ?? 0;
    out(
      `| \`new Array(${n})\` | ${expected} B | ${memory.allocBytesPerOp.toFixed(1)} B | ` +
        `${pct(memory.allocBytesPerOp / expected - 1)} | ${site.toFixed(1)} B | ${pct(site / expected - 1)} |`,
    );
  }
  out();
  out('The same arrays when they do not escape the function (optimizing compiler at work):');
  out();
  out('| Task | Written / op | Measured / op |');
  out('| :--- | ---: | ---: |');
  for (const n of [10, 100]) {
    const memory = await capture(`localArray${n}`);
    out(
      `| \`const a = new Array(${n})\` (local) | ${expectedArray(n)} B | ${memory.allocBytesPerOp.toFixed(1)} B |`,
    );
  }
  out();

  // 2. Leak detection.
  const REPEATS = 10;
  out('## Leak detection');
  out();
  out(
    `Each task captured ${REPEATS} times at the default settings (leak test p < 0.001 and the other rules of docs/memory.md).`,
  );
  out();
  out('| Task | Keeps per op | Leak found | Retained / op (median) |');
  out('| :--- | ---: | ---: | ---: |');
  const leakRows: Array<[string, string]> = [
    ['steadyObjects', '0'],
    ['steadyAsync', '0'],
    ['steadyCompute', '0'],
    ['keep64', `${expectedArray(4) + 8} B`],
    ['keep512', `${expectedArray(60) + 8} B`],
    ['keep4096', `${expectedArray(508) + 8} B`],
  ];
  for (const [name, keeps] of leakRows) {
    let found = 0;
    const retained: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const memory = await capture(name);
      if (memory.leak) found += 1;
      retained.push(memory.retainedBytesPerOp);
      tasks.kept.length = 0;
      globalThis.gc?.();
    }
    out(`| \`${name}\` | ${keeps} | ${found}/${REPEATS} | ${formatBytes(median(retained))} |`);
  }
  out();
  out(
    "Kept bytes per op include the 8-byte slot in the module-level array that keeps it (plus that array's growth).",
  );
  out();

  // 3. Cost.
  out('## Cost');
  out();
  out('| Task | Memory pass wall time (defaults) | Task slowdown while sampling |');
  out('| :--- | ---: | ---: |');
  for (const name of ['array1000', 'steadyObjects', 'steadyCompute']) {
    const t0 = performance.now();
    await capture(name);
    const wall = performance.now() - t0;
    out(
      `| \`${name}\` | ${(wall / 1000).toFixed(2)} s | ${samplingSlowdown(tasks[name]!).toFixed(2)}× |`,
    );
  }
  out();
  out(
    'The pass runs after the timing pass, in the same child, so it never changes the timing numbers; ' +
      'its wall time is roughly warm-up + 3 calibration rounds + `rounds` × `roundTime` + one full GC per round ' +
      '(and, only for a leak, half as many rounds again with live-object sampling).',
  );
  await rm(dir, { recursive: true, force: true });
  await writeFile(join(process.cwd(), 'docs/benchmarks/memory.md'), `${lines.join('\n')}\n`);
}

function samplingSlowdown(fn: () => unknown): number {
  const session = new Session();
  session.connect();
  const timeOps = () => {
    const n = 20000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    return performance.now() - t0;
  };
  timeOps();
  const plain = median([timeOps(), timeOps(), timeOps()]);
  void session.post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const sampled = median([timeOps(), timeOps(), timeOps()]);
  void session.post('HeapProfiler.stopSampling');
  session.disconnect();
  return sampled / plain;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function pct(fraction: number): string {
  return `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(2)}%`;
}

await main();
