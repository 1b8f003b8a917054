/**
 * The tinybench runner as Sources: the bench files in child processes, and the bench files of a
 * base checkout with them in alternating fork pairs (`--against`, `compare: against-base`).
 */
import { join } from 'node:path';
import type { Collected, Remeasure, Source, SourceContext } from '../engine/source.js';
import { confirmationConfig } from './forks.js';
import { runAgainst, runBenchmarks, type RunBenchmarksOptions, type RunResult } from './index.js';

export type BenchSourceOptions = Omit<RunBenchmarksOptions, 'cwd' | 'config' | 'filter' | 'outDir'>;

export function benchSource(options: BenchSourceOptions = {}): Source {
  return {
    describe: () =>
      options.files ? `${options.files.length} bench file(s)` : 'bench files (config include)',
    collect: (context) => runBenchmarks({ ...options, ...context }),
    remeasure: (request, context) =>
      runBenchmarks({ ...options, ...context, ...remeasureOptions(request, context) }),
  };
}

/**
 * The base checkout at `root` and the working tree, in alternating fork pairs, both with the
 * context's config; `baseMeta` names the base (its commit comes from git in the checkout).
 */
export function againstSource(
  root: string,
  options: BenchSourceOptions & { baseMeta?: RunBenchmarksOptions['meta'] } = {},
): Source {
  const { baseMeta, ...shared } = options;
  const sides = (context: SourceContext, extra: Partial<RunBenchmarksOptions> = {}) => ({
    base: {
      ...shared,
      ...context,
      cwd: root,
      outDir: join(context.outDir, 'base'),
      ...(baseMeta ? { meta: baseMeta } : { meta: {} }),
      ...extra,
    },
    head: { ...shared, ...context, outDir: join(context.outDir, 'head'), ...extra },
  });
  return {
    describe: () => `bench files against ${root}`,
    collect: async (context) => pairOf(await runAgainst(sides(context))),
    remeasure: async (request, context) =>
      pairOf(await runAgainst(sides(context, remeasureOptions(request, context)))),
  };
}

/** Timing only, the requested benchmarks in their files, forks as long as the first ones. */
function remeasureOptions(
  request: Remeasure,
  context: SourceContext,
): Omit<RunBenchmarksOptions, 'cwd' | 'outDir'> {
  return {
    config: confirmationConfig(context.config, request.forks),
    forks: request.forks,
    files: request.files,
    filter: idsFilter(request.ids),
    passes: false,
  };
}

/** A `--filter` regex that matches exactly these ids. */
export function idsFilter(ids: readonly string[]): string {
  const escaped = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return `/^(?:${escaped.join('|')})$/`;
}

/** The head Run with the base beside it; the base's failures are named as the base's. */
function pairOf({ base, head }: { base: RunResult; head: RunResult }): Collected {
  const tagged = <T extends { file: string }>(items: T[]) =>
    items.map((item) => ({ ...item, file: `base: ${item.file}` }));
  return {
    run: head.run,
    base: base.run,
    failures: [...tagged(base.failures), ...head.failures],
    warnings: [...tagged(base.warnings), ...head.warnings],
  };
}
