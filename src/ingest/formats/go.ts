/**
 * `go test -bench . [-benchmem] [-count N]`: the text output. Each line of a benchmark is one
 * sample (with -count N, N samples); `pkg:` lines give the package. The `-N` GOMAXPROCS suffix
 * is dropped from names so ids survive a runner with another core count.
 */
import type { Benchmark } from '../../model/run.js';
import {
  allocationAttachment,
  directionOfUnit,
  failedBenchmark,
  joinId,
  metricIdentity,
  normalizeUnit,
  rawBenchmark,
} from '../build.js';
import type { Importer } from '../importer.js';

const RESULT = /^(Benchmark\S*)\s+(\d+)\s+(\d.*)$/;
const RESULT_ANYWHERE = /^Benchmark\S*\s+\d+\s+[\d.]+ ns\/op/m;

interface Entry {
  id: string;
  name: string;
  file: string;
  /** Values per unit, one per result line, in order. */
  metrics: Map<string, number[]>;
  error?: string;
}

export const goImporter: Importer = {
  name: 'go',
  describes: 'go test -bench output (go test -bench . [-benchmem] [-count N] > FILE)',
  detect: (text) => RESULT_ANYWHERE.test(text),
  parse(text) {
    const entries = new Map<string, Entry>();
    const warnings: string[] = [];
    let pkg = '';
    let started: Entry | undefined; // a name line printed before its result (go test -v)
    let failing: Entry | undefined;
    const entryFor = (rawName: string): Entry => {
      const name = rawName.replace(/-\d+$/, '');
      const id = joinId(pkg, name);
      let entry = entries.get(id);
      if (!entry) {
        entry = { id, name, file: pkg, metrics: new Map() };
        entries.set(id, entry);
      }
      return entry;
    };
    for (const rawLine of text.split(/\r?\n/)) {
      const line = rawLine.trimEnd();
      const trimmed = line.trim();
      if (failing && /^\s+\S/.test(line) && !trimmed.startsWith('---')) {
        failing.error = failing.error === 'failed' ? trimmed : `${failing.error}; ${trimmed}`;
        continue;
      }
      failing = undefined;
      const pkgLine = /^pkg:\s+(\S+)/.exec(trimmed);
      if (pkgLine) {
        pkg = pkgLine[1]!;
        continue;
      }
      const result = RESULT.exec(trimmed);
      if (result) {
        const entry = entryFor(result[1]!);
        if (started === entry) started = undefined;
        addMetrics(entry, result[3]!);
        continue;
      }
      const fail = /^--- FAIL: (Benchmark\S*)/.exec(trimmed);
      if (fail) {
        failing = entryFor(fail[1]!);
        failing.error = 'failed';
        if (started === failing) started = undefined;
        continue;
      }
      if (/^Benchmark\S*$/.test(trimmed)) {
        started = entryFor(trimmed);
        continue;
      }
      if (/^panic:|^FAIL\s/.test(trimmed) && started && started.metrics.size === 0) {
        started.error = `the run stopped before this benchmark finished (${trimmed})`;
        started = undefined;
      }
      if (/^(ok|FAIL)\s/.test(trimmed)) pkg = '';
    }
    const benchmarks = [...entries.values()].flatMap((entry) => toBenchmarks(entry, warnings));
    return { benchmarks, warnings };
  },
};

function addMetrics(entry: Entry, rest: string): void {
  const parts = rest.trim().split(/\s+/);
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const value = Number(parts[i]);
    if (!Number.isFinite(value)) break;
    const unit = parts[i + 1]!;
    const values = entry.metrics.get(unit) ?? [];
    values.push(value);
    entry.metrics.set(unit, values);
  }
}

function toBenchmarks(entry: Entry, warnings: string[]): Benchmark[] {
  const identity = { id: entry.id, name: entry.name, file: entry.file };
  if (entry.error !== undefined && entry.metrics.size === 0) {
    return [failedBenchmark({ ...identity, unit: 'ns', error: entry.error })];
  }
  if (entry.error !== undefined) warnings.push(`${entry.id}: ${entry.error}`);
  const time = entry.metrics.get('ns/op');
  const bytes = entry.metrics.get('B/op');
  const benchmarks: Benchmark[] = [];
  if (time) {
    benchmarks.push(
      rawBenchmark({
        ...identity,
        unit: 'ns',
        direction: 'smaller',
        samples: time,
        ...(bytes ? { memory: allocationAttachment(bytes, 'go -benchmem') } : {}),
      }),
    );
  }
  for (const [unit, values] of entry.metrics) {
    if (unit === 'ns/op' || (unit === 'B/op' && time)) continue;
    const { unit: shown, scale } = normalizeUnit(unit);
    benchmarks.push(
      rawBenchmark({
        ...metricIdentity(identity, unit),
        unit: shown,
        direction: directionOfUnit(unit),
        samples: values.map((value) => value * scale),
      }),
    );
  }
  return benchmarks;
}
