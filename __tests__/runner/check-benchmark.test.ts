import { describe, expect, it } from 'vitest';
import type { Benchmark } from '../../src/model/run.js';
import { summarize } from '../../src/stats/summary.js';
import { checkBenchmark } from '../../src/runner/check-benchmark.js';

const valid: Benchmark = {
  id: 'a.bench.ts > t',
  name: 't',
  file: 'a.bench.ts',
  unit: 'ns',
  direction: 'smaller',
  samples: [1, 2, 3],
  stats: summarize([1, 2, 3]),
  opsPerSample: 10,
};

describe('checkBenchmark', () => {
  it('passes a valid benchmark through unchanged', () => {
    expect(checkBenchmark(valid)).toEqual({ benchmark: valid, dropped: [] });
  });

  it('drops an invalid attachment with a reason and keeps the timing', () => {
    // A NaN sent over IPC arrives as null.
    const received = {
      ...valid,
      profile: { source: 'v8', intervalUs: null },
    } as unknown as Benchmark;
    const { benchmark, dropped, invalid } = checkBenchmark(received);
    expect(invalid).toBeUndefined();
    expect(benchmark.profile).toBeUndefined();
    expect(benchmark.samples).toEqual([1, 2, 3]);
    expect(dropped).toEqual([
      expect.stringMatching(/^profile data dropped, it is not valid: intervalUs: /),
    ]);
  });

  it('rejects invalid core fields', () => {
    const received = { ...valid, samples: [1, null, 3] } as unknown as Benchmark;
    expect(checkBenchmark(received).invalid).toMatch(
      /invalid benchmark data from the bench child: samples\.1: /,
    );
  });
});
