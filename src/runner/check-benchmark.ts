import { describeIssues } from '../model/io.js';
import { benchmarkSchema, type Benchmark } from '../model/run.js';

const ATTACHMENTS = ['profile', 'queries', 'memory'] as const;

/**
 * Every benchmark is checked against the Run schema before it enters the Run, so a written Run
 * can always be read back: an invalid attachment (say a NaN that JSON turned into null) is
 * dropped with a warning; invalid core fields make the benchmark a failure.
 */
export function checkBenchmark(received: Benchmark): {
  benchmark: Benchmark;
  dropped: string[];
  invalid?: string;
} {
  const benchmark = { ...received };
  const dropped: string[] = [];
  for (const key of ATTACHMENTS) {
    if (benchmark[key] === undefined) continue;
    const result = benchmarkSchema.shape[key].safeParse(benchmark[key]);
    if (!result.success) {
      delete benchmark[key];
      dropped.push(`${key} data dropped, it is not valid: ${describeIssues(result.error)}`);
    }
  }
  const result = benchmarkSchema.safeParse(benchmark);
  if (!result.success) {
    return {
      benchmark,
      dropped,
      invalid: `invalid benchmark data from the bench child: ${describeIssues(result.error)}`,
    };
  }
  return { benchmark, dropped };
}
