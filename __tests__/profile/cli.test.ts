import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist/cli.js');
const fixtures = join(root, '__tests__/fixtures/profiles');
/**
 * The recordings were made in a checkout at /work/main and keep its absolute paths: they are made
 * repo-relative against that root, wherever this checkout lives (CI clones elsewhere).
 */
const recordedRoot = '/work/main';
let dir: string;

async function perfgate(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args, '--root', recordedRoot], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Real `node --cpu-prof` recordings of the synthetic workload (see the fixtures' README): inner's
// work doubled in head; "again" is a second run of base's code. Recorded once rather than in the
// test, so that the CLI contract is not at the mercy of the machine's load (the live A/A and
// doubled-work checks are in capture.test.ts).
const base = join(fixtures, 'workload-base.cpuprofile');
const head = join(fixtures, 'workload-head.cpuprofile');
const again = join(fixtures, 'workload-again.cpuprofile');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfgate-profile-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('perfgate profile diff', () => {
  it('--format json lists exactly the function whose work doubled, in the contract shape', async () => {
    const { code, stdout } = await perfgate('profile', 'diff', base, head, '--format', 'json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { functions: Array<Record<string, unknown>> };
    expect(Object.keys(out)).toEqual(['functions']);
    expect(out.functions.length).toBeGreaterThan(0);
    expect(Object.keys(out.functions[0]).sort()).toEqual([
      'base',
      'change',
      'delta',
      'file',
      'head',
      'line',
      'lines',
      'name',
      'total',
    ]);
    // Hot lines (V8 positionTicks): inside inner's body.
    const hot = out.functions[0].lines as Array<{ line: number; base: number; head: number }>;
    expect(hot[0]!.line).toBeGreaterThan(7);
    expect(hot[0]!.head).toBeGreaterThan(hot[0]!.base);
    expect(out.functions[0]).toMatchObject({
      name: 'inner',
      file: '__tests__/profile/workload.cjs',
      line: 7,
    });
    expect(out.functions).toHaveLength(1);
    expect(out.functions[0].base as number).toBeCloseTo(362, -1);
    expect(out.functions[0].head as number).toBeCloseTo(751, -1);
    expect(out.functions[0].change as number).toBeCloseTo(1.08, 1);
    // The change beyond the profile-wide factor (the other functions did not move): ~head − base.
    expect(out.functions[0].delta as number).toBeCloseTo(751 - 362, -1);
    expect(out.functions.find((f) => f.name === 'other')).toBeUndefined();
  });

  it('reports no change between two runs of the same code', async () => {
    const { code, stdout } = await perfgate('profile', 'diff', base, again, '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ functions: [] });
    const reverse = await perfgate('profile', 'diff', again, base, '--format', 'json');
    expect(JSON.parse(reverse.stdout)).toEqual({ functions: [] });
    const text = await perfgate('profile', 'diff', base, again);
    expect(text.stdout).toBe('No function changed beyond sampling noise.\n');
  });

  it('prints text and markdown, and writes an SVG flame graph with --out', async () => {
    const text = await perfgate('profile', 'diff', base, head);
    // The same table as the markdown, in terminal columns.
    expect(text.stdout.split('\n')[0]).toBe('Top function changes');
    expect(text.stdout).toMatch(
      /\n {2}inner +__tests__\/profile\/workload\.cjs:7 +\S+ \S+ +\S+ \S+ +\+\d+\.\d%\n/,
    );
    const md = await perfgate('profile', 'diff', base, head, '--format', 'markdown');
    expect(md.stdout).toContain('| Function | File:line | Base | Head | Change |');
    expect(md.stdout).toMatch(/\| inner \| \\_\\_tests\\_\\_\/profile\/workload\.cjs:7 \|/);
    const out = join(dir, 'diff.svg');
    const svg = await perfgate('profile', 'diff', base, head, '--format', 'svg', '--out', out);
    expect(svg.code).toBe(0);
    expect(svg.stdout).toBe('');
    const content = await readFile(out, 'utf8');
    expect(content).toMatch(/^<\?xml/);
    expect(content).toContain('<title>inner (__tests__/profile/workload.cjs:7)');
  });
});

describe('perfgate profile diff with a folder a side', () => {
  // Real `perf script` recordings of eval/findings/workloads/workload.c, three processes a side
  // (the fixtures' README): `slow` has parse_line slowed 1.3×, `again` is the base code again.
  const processes = join(fixtures, 'perf-processes');

  it('pools the recordings of each side: the 1.3× function alone, at its mean time', async () => {
    const { code, stdout } = await perfgate(
      'profile',
      'diff',
      join(processes, 'base'),
      join(processes, 'slow'),
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const { functions } = JSON.parse(stdout) as {
      functions: Array<{ name: string; base: number; head: number; change: number }>;
    };
    expect(functions.map((f) => f.name)).toEqual(['parse_line']);
    // The mean of three recordings of about 1 s each, not their sum.
    expect(functions[0]!.base).toBeGreaterThan(150);
    expect(functions[0]!.base).toBeLessThan(400);
    expect(functions[0]!.change).toBeGreaterThan(0.2);
    expect(functions[0]!.change).toBeLessThan(0.45);
  });

  it('reports nothing between two folders of the same code; a file and a folder mix', async () => {
    const aa = await perfgate(
      'profile',
      'diff',
      join(processes, 'base'),
      join(processes, 'again'),
      '--format',
      'json',
    );
    expect(aa.code).toBe(0);
    expect(JSON.parse(aa.stdout)).toEqual({ functions: [] });
    const mixed = await perfgate(
      'profile',
      'diff',
      join(processes, 'base', '1.perf.gz'),
      join(processes, 'again'),
    );
    expect(mixed.code).toBe(0);
    expect(mixed.stdout).toBe('No function changed beyond sampling noise.\n');
  });

  it('exits 2 naming an empty folder, or the file in a folder that is not a profile', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const none = await perfgate('profile', 'diff', empty, join(processes, 'slow'));
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(`perfgate: ${empty}: a folder with no profile files in it\n`);
    const mixed = join(dir, 'mixed');
    await mkdir(mixed);
    await writeFile(join(mixed, 'notes.txt'), 'just some notes\n');
    await writeFile(join(mixed, '.hidden'), 'skipped\n');
    const bad = await perfgate('profile', 'diff', join(processes, 'base'), mixed);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${join(mixed, 'notes.txt')}: not a supported profile`);
    expect(bad.stderr).not.toContain('.hidden');
  });
});

describe('perfgate profile top', () => {
  it('lists the top functions as JSON', async () => {
    const { code, stdout } = await perfgate(
      'profile',
      'top',
      join(fixtures, 'go.pprof.gz'),
      '--format',
      'json',
      '--limit',
      '2',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.format).toBe('pprof');
    expect(out.unit).toBe('ms');
    expect(out.functions).toHaveLength(2);
    expect(out.functions[0]).toMatchObject({
      name: 'github.com/acme/csv.parseField',
      self: 2300,
      total: 2300,
    });
  });

  it('prints a text table, also for formats without time', async () => {
    const { code, stdout } = await perfgate(
      'profile',
      'top',
      join(fixtures, 'app.pyspy.collapsed.txt'),
      '-n',
      '3',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/collapsed, 352 samples/);
    expect(stdout.split('\n')[3]).toMatch(/313\s+88\.9%.*hash_row\s+app\.py:10/);
  });

  it('exits 2 with the file and the formats tried for an unknown file', async () => {
    const bad = join(dir, 'notes.txt');
    await writeFile(bad, 'just some notes\nnothing else\n');
    const { code, stderr } = await perfgate('profile', 'top', bad);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `perfgate: ${bad}: not a supported profile; formats tried: V8 .cpuprofile, pprof protobuf (gzipped or not), speedscope JSON, Python cProfile/pstats, perf script text, collapsed/folded stacks\n`,
    );
    const missing = await perfgate('profile', 'diff', join(dir, 'nope'), bad);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope: file not found');
    const usage = await perfgate('profile', 'top', bad, '--limit', 'x');
    expect(usage.code).toBe(2);
  });
});
