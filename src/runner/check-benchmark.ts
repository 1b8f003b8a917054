import { describeIssues } from '../model/io.js';
import {
  attachmentFields,
  attachmentSchemaOf,
  benchmarkSchemaOf,
  type Benchmark,
} from '../model/run.js';

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
  const benchmark: Benchmark = { ...received };
  const fields = benchmark as Record<string, unknown>;
  const dropped: string[] = [];
  for (const key of attachmentFields()) {
    if (fields[key] === undefined) continue;
    const result = attachmentSchemaOf(key)!.safeParse(fields[key]);
    if (!result.success) {
      delete fields[key];
      dropped.push(`${key} data dropped, it is not valid: ${describeIssues(result.error)}`);
    }
  }
  const result = benchmarkSchemaOf().safeParse(benchmark);
  if (!result.success) {
    return {
      benchmark,
      dropped,
      invalid: `invalid benchmark data from the bench child: ${describeIssues(result.error)}`,
    };
  }
  return { benchmark, dropped };
}
