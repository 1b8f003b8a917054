// `perfgate import-history`: github-action-benchmark's gh-pages history → baseline runs whose ids
// pair up with what perfgate ingests from the same tool afterwards.
import { cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { historyRuns } from '../../src/ingest/history.js';
import { importFile } from '../../src/ingest/index.js';
import { InputError } from '../../src/model/errors.js';
import { perfgate } from '../cli/helpers.js';
import { fixture, FIXTURES } from './helpers.js';

const ENV = { os: 'linux', cpu: 'test', cores: 2, node: 'v20', runner: 'local' };

describe('import-history', () => {
  test('data.js → one Run per commit, oldest first, with the ids perfgate gives pytest results', () => {
    const { text } = fixture('gab-history/data.js');
    const runs = historyRuns(text, 'data.js', { env: ENV });
    expect(runs.map((run) => run.meta.commit)).toEqual([
      '1111111111111111111111111111111111111111',
      '2222222222222222222222222222222222222222',
    ]);
    const ingested = importFile(fixture('real/pytest/base.json'), 'pytest').benchmarks;
    expect(runs[0]!.benchmarks.map((b) => b.id)).toEqual(ingested.map((b) => b.id));
    for (const b of runs[0]!.benchmarks) {
      const same = ingested.find((x) => x.id === b.id)!;
      // gab kept ops (1 / mean) and the stddev and rounds: the mean time, sd and n come back.
      expect(b).toMatchObject({ unit: 'ns', direction: 'smaller', samplesKind: 'summary' });
      expect(b.stats.mean / same.stats.mean).toBeCloseTo(1, 6);
      expect(b.stats.n).toBe(same.stats.n);
      expect(b.stats.sd / same.stats.sd).toBeCloseTo(1, 6);
    }
    expect(runs[0]!.meta.source?.files).toEqual([{ file: 'data.js', format: 'pytest' }]);
  });

  test('data.json (the same object without `window.BENCHMARK_DATA =`), and --name', () => {
    const json = fixture('gab-history/data.js').text.replace('window.BENCHMARK_DATA = ', '');
    expect(historyRuns(json, 'data.json', { env: ENV, suite: 'Benchmark' })).toHaveLength(2);
    expect(() => historyRuns(json, 'data.json', { env: ENV, suite: 'Other' })).toThrow(
      'data.json: no benchmark suite "Other" (the file has "Benchmark")',
    );
    expect(() => historyRuns('{"benches": []}', 'x.json', { env: ENV })).toThrow(InputError);
  });

  test('the CLI keeps them as the baseline, and a later pytest run compares against them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perfgate-history-'));
    await cp(join(FIXTURES, 'gab-history', 'data.js'), join(dir, 'data.js'));
    const imported = await perfgate(['import-history', 'data.js'], dir);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('imported 2 of 2 runs');
    expect((await readdir(join(dir, '.perfgate', 'baseline'))).sort()).toEqual([
      '000001-1111111.json',
      '000002-2222222.json',
    ]);
    const compared = await perfgate(
      ['compare', '.perfgate', join(FIXTURES, 'real/pytest/head.json'), '--format', 'json'],
      dir,
    );
    const comparison = JSON.parse(compared.stdout) as {
      baseRuns: number;
      summary: Record<string, number>;
      benchmarks: Array<{ id: string; status: string; time: { method: string } }>;
    };
    expect(comparison.baseRuns).toBe(2);
    expect(comparison.summary.new + comparison.summary.removed).toBe(0);
    // The newest imported run is head itself: nothing changed, judged on the summaries.
    expect(
      comparison.benchmarks.every(
        (b) => b.status === 'unchanged' && b.time.method === 'welch-t-summary',
      ),
    ).toBe(true);
  });
});
