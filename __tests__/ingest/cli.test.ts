// `perfgate ingest` and `perfgate compare` on foreign result files, through the bundled CLI.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readRun } from '../../src/model/io.js';
import { perfgate } from '../cli/helpers.js';
import { FIXTURES, GAB_OUTPUTS } from './helpers.js';

describe('perfgate ingest', () => {
  test.each(GAB_OUTPUTS)('--format %s works for gab/%s', async (file, tool) => {
    const out = join(await mkdtemp(join(tmpdir(), 'perfgate-ingest-')), 'run.json');
    const result = await perfgate(
      ['ingest', '--format', tool, join(FIXTURES, 'gab', file), '--out', out],
      FIXTURES,
    );
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const run = await readRun(out);
    expect(run.benchmarks.length).toBeGreaterThan(0);
    expect(run.meta.source?.files).toEqual([{ file: join(FIXTURES, 'gab', file), format: tool }]);
    expect(result.stdout).toContain(`(${tool})`);
  });

  test('the wrong format: exit 2, naming the file, the format expected and what was found', async () => {
    const result = await perfgate(
      ['ingest', '--format', 'pytest', 'gab/go_output.txt', '--out', '/dev/null'],
      FIXTURES,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('gab/go_output.txt');
    expect(result.stderr).toContain('expected pytest-benchmark JSON');
    expect(result.stderr).toMatch(/found go test -bench output \(.*\) \(format go\)/);
  });

  test('an unknown format name lists the names', async () => {
    const result = await perfgate(['ingest', '--format', 'nope', 'gab/go_output.txt'], FIXTURES);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown format "nope"');
    expect(result.stderr).toContain('customSmallerIsBetter');
  });

  test('a run with no benchmarks (deno bench that crashed) is an error, never a green run', async () => {
    const result = await perfgate(
      ['ingest', 'bad/deno-failed-no-benches.json', '--out', '/dev/null'],
      FIXTURES,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad/deno-failed-no-benches.json: no benchmarks');
  });

  test('a folder: criterion target/criterion', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'perfgate-ingest-')), 'run.json');
    const result = await perfgate(['ingest', 'real/criterion/base', '--out', out], FIXTURES);
    expect(result.code).toBe(0);
    const run = await readRun(out);
    expect(run.benchmarks.map((b) => b.id).sort()).toEqual(['concat', 'fib 18', 'sort/2000']);
    expect(run.benchmarks.every((b) => b.samplesKind === 'raw' && b.samples.length === 30)).toBe(
      true,
    );
  });
});

describe('perfgate compare on foreign files', () => {
  test('detected from content: the slowed benchmark fails the gate', async () => {
    const result = await perfgate(
      [
        'compare',
        'real/pytest/base.json',
        'real/pytest/head.json',
        '--format',
        'json',
        '--threshold',
        '50',
      ],
      FIXTURES,
    );
    expect(result.code).toBe(1);
    const comparison = JSON.parse(result.stdout) as {
      benchmarks: Array<{ id: string; status: string }>;
    };
    expect(comparison.benchmarks.filter((b) => b.status === 'regression').map((b) => b.id)).toEqual(
      ['test_bench.py::test_sort'],
    );
  });

  test('--input-format forces the format; --format stays the report format', async () => {
    const result = await perfgate(
      [
        'compare',
        'gab/cargo_output.txt',
        'gab/cargo_output3.txt',
        '--input-format',
        'cargo',
        '--format',
        'markdown',
        '--threshold',
        '20',
      ],
      FIXTURES,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('bench\\_fib\\_10');
    const wrong = await perfgate(
      ['compare', 'gab/cargo_output.txt', 'gab/cargo_output3.txt', '--input-format', 'go'],
      FIXTURES,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /expected go test -bench output \(.*\) for format go, found cargo bench/,
    );
  });

  test('a perfgate Run and a foreign file compare (base ingested earlier)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perfgate-ingest-'));
    const base = join(dir, 'base.json');
    expect(
      (await perfgate(['ingest', 'real/hyperfine/base.json', '--out', base], FIXTURES)).code,
    ).toBe(0);
    const result = await perfgate(
      ['compare', base, 'real/hyperfine/head.json', '--format', 'json'],
      FIXTURES,
    );
    const comparison = JSON.parse(result.stdout) as {
      benchmarks: Array<{ id: string; status: string }>;
    };
    expect(comparison.benchmarks.find((b) => b.id === 'slow-step')?.status).toBe('regression');
    expect(JSON.parse(await readFile(base, 'utf8')).meta.source.files[0].format).toBe('hyperfine');
  });
});

describe('perfgate run --command --results, and plain perfgate --results', () => {
  test('runs the command in the project folder, ingests what it wrote, gates it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perfgate-command-'));
    const base = join(FIXTURES, 'real/go/base.txt');
    const head = join(FIXTURES, 'real/go/head.txt');
    const ran = await perfgate(
      [
        'run',
        '--command',
        `cp "${base}" out.txt && echo go-ran`,
        '--results',
        'out.txt',
        '--format',
        'go',
        '--out',
        'base.json',
      ],
      dir,
    );
    expect(ran.stderr).toContain('go-ran');
    expect(ran.code).toBe(0);
    const run = await readRun(join(dir, 'base.json'));
    expect(run.meta.source?.files).toEqual([{ file: 'out.txt', format: 'go' }]);
    expect((await perfgate(['baseline', 'save', 'base.json'], dir)).code).toBe(0);
    const gated = await perfgate(
      [
        '--command',
        `cp "${head}" out.txt`,
        '--results',
        'out.txt',
        '--input-format',
        'go',
        '--threshold',
        '40',
        '--format',
        'json',
      ],
      dir,
    );
    expect(gated.code).toBe(1);
    const comparison = JSON.parse(gated.stdout) as {
      benchmarks: Array<{ id: string; status: string }>;
    };
    // Doing the sort twice also allocates twice (sort.Ints boxes its slice): allocs/op doubles too.
    expect(comparison.benchmarks.filter((b) => b.status === 'regression').map((b) => b.id)).toEqual(
      [
        'example.com/perfgate/fixture > BenchmarkSort',
        'example.com/perfgate/fixture > BenchmarkSort [allocs/op]',
      ],
    );
  });

  test('a failing command: exit 2 with its last output lines; --command without --results', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perfgate-command-'));
    const failed = await perfgate(
      [
        'run',
        '--command',
        'echo building; echo "error: cannot find -lbenchmark" >&2; exit 1',
        '--results',
        'out.json',
      ],
      dir,
    );
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(
      'command "echo building; echo \\"error: cannot find -lbenchmark\\" >&2; exit 1" exited with code 1; its last 2 lines:',
    );
    expect(failed.stderr).toContain('  error: cannot find -lbenchmark');
    const alone = await perfgate(['run', '--command', 'true'], dir);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--command needs results');
    const none = await perfgate(['run', '--results', 'nothing-*.json'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no result files match "nothing-*.json"');
  });
});
