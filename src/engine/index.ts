/**
 * The one pipeline both shells call (the CLI's `perfgate`, the action's compare/baseline/merge
 * modes): config → baseline → source → compare → review → flame graphs + JSON. It returns what
 * the shells publish; printing, commenting and storing stay with them.
 */
import { compare, type CompareOptions } from '../compare/index.js';
import { confirmRegressions } from './confirm.js';
import type { Config } from '../config/schema.js';
import type { Comparison } from '../model/comparison.js';
import { writeFileAtomic, serializeRun } from '../model/io.js';
import type { Run } from '../model/run.js';
import type { Collected, Source, SourceContext } from './source.js';
import { writeFlameGraphs, type FlameGraphFile } from '../profile/flamegraph-files.js';
import { renderJson } from '../report/index.js';
import { makeIdFilter } from '../model/filter.js';
import type { BaselineStore } from '../store/store.js';

export interface CollectOptions extends SourceContext {
  source: Source;
  /** Where the head Run is written (JSON) as soon as it is collected. */
  runFile?: string;
}

export interface EngineOptions extends CollectOptions {
  /** Before a confirmation re-measures suspected regressions (for the log). */
  onConfirm?: (ids: string[], forks: number) => void;
  store: BaselineStore;
  /** Between compare and render: the action's acceptance label may override the verdict. */
  review?: (comparison: Comparison, bases: Run[]) => Promise<Comparison>;
  /**
   * Differential flame graphs of the regressed benchmarks go here; absent, none are drawn.
   * With `onError`, a failure to draw them is reported and the pipeline goes on (they are an
   * aid to the reviewer, not a verdict).
   */
  flameGraphs?: { dir: string; onError?: (error: unknown) => void };
}

export interface EngineResult extends Collected {
  /**
   * What the head was compared with: the stored history (newest first), restricted to the
   * filter like the head; with a source that measured the base (`against`), that base alone.
   */
  bases: Run[];
  /** The stored history (the same as `bases` in stored mode; the trend in `against` mode). */
  history: Run[];
  comparison: Comparison;
  /** `comparison` as the JSON contract (comparison.json, `--format json`). */
  json: string;
  /** Flame graph files by benchmark id. */
  flames: Record<string, FlameGraphFile[]>;
}

/** Collects the head Run from the source (and writes it to `runFile`). */
export async function collect(options: CollectOptions): Promise<Collected> {
  const { source, runFile, ...context } = options;
  const collected = await source.collect(context);
  if (runFile) await writeFileAtomic(runFile, serializeRun(collected.run));
  return collected;
}

/** The whole pipeline: the baseline is read first, so a broken store stops us before benchmarking. */
export async function runEngine(options: EngineOptions): Promise<EngineResult> {
  const { store, review, flameGraphs, onConfirm, ...collectOptions } = options;
  const { source, runFile: _runFile, ...context } = collectOptions;
  const config: Config = options.config;
  const history = restrictToFilter(await store.load(), options.filter);
  const collected = await collect(collectOptions);
  // A base measured with the head on this machine is compared in pairs; the history keeps
  // drawing the trend.
  const against = collected.base !== undefined;
  const bases = against ? [collected.base!] : history;
  const compareOptions: CompareOptions = against
    ? { ...config, mode: 'against', storedHistory: history }
    : { ...config, mode: 'stored' };
  const first = compare(bases, collected.run, compareOptions);
  const confirmed = await confirmRegressions({
    comparison: first,
    source,
    context,
    bases,
    head: collected.run,
    options: compareOptions,
    onStart: onConfirm,
  });
  let comparison = confirmed.comparison;
  if (review) comparison = await review(comparison, bases);
  const flames = flameGraphs
    ? await drawFlameGraphs(comparison, bases, collected.run, flameGraphs)
    : {};
  const warnings = [...(collected.warnings ?? []), ...confirmed.warnings];
  return {
    ...collected,
    ...(warnings.length > 0 ? { warnings } : {}),
    bases,
    history,
    comparison,
    json: renderJson(comparison),
    flames,
  };
}

async function drawFlameGraphs(
  comparison: Comparison,
  bases: Run[],
  run: Run,
  options: NonNullable<EngineOptions['flameGraphs']>,
): Promise<Record<string, FlameGraphFile[]>> {
  try {
    return await writeFlameGraphs(comparison, bases, run, options.dir);
  } catch (error) {
    if (!options.onError) throw error;
    options.onError(error);
    return {};
  }
}

/** With a filter, only the matching base benchmarks count (the rest would show as "removed"). */
export function restrictToFilter(bases: Run[], filter: string | undefined): Run[] {
  if (filter === undefined) return bases;
  const matches = makeIdFilter(filter);
  return bases.map((run) => ({ ...run, benchmarks: run.benchmarks.filter((b) => matches(b.id)) }));
}
