/** The tinybench runner as a Source: bench files run in child processes. */
import type { Source } from '../engine/source.js';
import { runBenchmarks, type RunBenchmarksOptions } from './index.js';

export type BenchSourceOptions = Omit<RunBenchmarksOptions, 'cwd' | 'config' | 'filter' | 'outDir'>;

export function benchSource(options: BenchSourceOptions = {}): Source {
  return {
    describe: () =>
      options.files ? `${options.files.length} bench file(s)` : 'bench files (config include)',
    collect: (context) => runBenchmarks({ ...options, ...context }),
  };
}
