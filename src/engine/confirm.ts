/**
 * Confirm before failing, the engine's step between compare and review: the suspected timing
 * regressions are measured again by the source (against the base, in pairs, when the base was
 * measured with the head) and judged on that measurement alone (src/compare/confirm.ts).
 */
import { compare, type CompareOptions } from '../compare/index.js';
import { applyConfirmation, substitute, suspects } from '../compare/confirm.js';
import { confirmForks, type Config } from '../config/schema.js';
import type { Comparison } from '../model/comparison.js';
import type { Run } from '../model/run.js';
import type { Collected, RunWarning, Source, SourceContext } from './source.js';

export interface ConfirmInput {
  comparison: Comparison;
  source: Source;
  context: SourceContext;
  /** What was compared: the bases (the paired base first in `against` mode) and the head. */
  bases: Run[];
  head: Run;
  options: CompareOptions;
  /** Before the re-measurement starts: which benchmarks, how many forks. */
  onStart?: (ids: string[], forks: number) => void;
}

export interface ConfirmResult {
  comparison: Comparison;
  /** Problems of the re-run (a bench that failed this time): the first verdict stands for it. */
  warnings: RunWarning[];
}

export async function confirmRegressions(input: ConfirmInput): Promise<ConfirmResult> {
  const { comparison, source, context, bases, head, options } = input;
  const forks = confirmForks(context.config as Config);
  const suspected = suspects(comparison);
  if (forks === null || !source.remeasure || suspected.length === 0 || bases.length === 0) {
    return { comparison, warnings: [] };
  }
  const ids = suspected.map((b) => b.id);
  input.onStart?.(ids, forks);
  const started = Date.now();
  const again: Collected = await source.remeasure(
    { ids, files: [...new Set(suspected.map((b) => b.file))], forks },
    context,
  );
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const valid = (run: Run | undefined) =>
    new Set(run?.benchmarks.filter((b) => b.error === undefined).map((b) => b.id) ?? []);
  const baseValid = valid(again.base);
  // In pairs, a benchmark counts as measured again only when both sides were.
  const measured = new Set(
    [...valid(again.run)].filter((id) => again.base === undefined || baseValid.has(id)),
  );
  const keep = (run: Run) => ({
    ...run,
    benchmarks: run.benchmarks.filter((b) => b.error === undefined && measured.has(b.id)),
  });
  // Only what was measured again replaces the first measurement; in pairs, base and head both.
  const secondBases =
    again.base !== undefined ? [substitute(bases[0], keep(again.base)), ...bases.slice(1)] : bases;
  const second = compare(secondBases, substitute(head, keep(again.run)), options);
  const warnings: RunWarning[] = [
    ...(again.warnings ?? []),
    ...again.failures.map((f) => ({
      file: f.file,
      ...(f.task ? { task: f.task } : {}),
      message: `confirmation run failed, the first measurement decides: ${f.error.split('\n')[0]}`,
    })),
  ];
  return {
    comparison: applyConfirmation(
      comparison,
      second,
      ids.filter((id) => measured.has(id)),
      { forks, seconds },
    ),
    warnings,
  };
}
