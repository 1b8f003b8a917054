import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProfile, parseProfile } from '../../src/profile/formats/read.js';
import { topBySelf, summarize } from '../../src/profile/analysis.js';
import { InputError } from '../../src/model/errors.js';

const root = resolve(import.meta.dirname, '../..');
const fixtures = join(root, '__tests__/fixtures/profiles');
const fixture = (name: string) => join(fixtures, name);
/**
 * Fixtures recorded in a checkout at /work/main keep its absolute paths: they are made
 * repo-relative against that root, wherever this checkout lives (CI clones elsewhere).
 */
const recordedRoot = '/work/main';
const load = (name: string) => readProfile(fixture(name), { projectRoot: recordedRoot });
const expected = async (name: string) =>
  JSON.parse(await readFile(fixture(`${name}.expected.json`), 'utf8')) as Array<{
    name: string;
    file: string;
    line: number;
    self: number;
  }>;

describe('profile formats: each fixture gives the reference tool’s top functions', () => {
  it('V8 .cpuprofile from node --cpu-prof', async () => {
    const profile = await load('app.cpuprofile');
    expect(profile.format).toBe('v8');
    const top = topBySelf(profile.summary.functions, 5);
    const reference = (await expected('app.cpuprofile')).slice(0, 5);
    expect(top.map((f) => [f.name, f.line])).toEqual(reference.map((r) => [r.name, r.line]));
    top.forEach((f, i) => expect(f.selfTime / 1e6).toBeCloseTo(reference[i].self, 3));
    expect(top.find((f) => f.name === 'hashRow')?.file).toBe('__tests__/fixtures/profiles/app.mjs');
  });

  it('Python cProfile (marshal pstats) matches pstats.print_stats', async () => {
    const profile = await load('app.prof');
    expect(profile.format).toBe('pstats');
    const text = await readFile(fixture('app.prof.pstats.txt'), 'utf8');
    const rows = [
      ...text.matchAll(/^\s*[\d/]+\s+([\d.]+)\s+[\d.]+\s+([\d.]+)\s+[\d.]+\s+(.+)$/gm),
    ].map((m) => ({ tottime: Number(m[1]), cumtime: Number(m[2]), name: m[3].trim() }));
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const top = topBySelf(profile.summary.functions, 8);
    const pstatsName = (f: { name: string; file: string; line: number }) =>
      f.file ? `${basename(f.file)}:${f.line}(${f.name})` : f.name;
    expect(top.map(pstatsName)).toEqual(rows.slice(0, 8).map((r) => r.name));
    top.forEach((f, i) => {
      expect(Math.abs(f.selfTime / 1e9 - rows[i].tottime)).toBeLessThanOrEqual(0.0005);
      expect(Math.abs(f.totalTime / 1e9 - rows[i].cumtime)).toBeLessThanOrEqual(0.0005);
    });
  });

  it('cProfile: the call tree rebuilt from caller edges keeps inclusive times', async () => {
    const profile = await load('app.prof');
    const fromTree = summarize(profile.tree).functions;
    const exact = profile.summary.functions;
    // render recurses through str.join and the generator: recursion is approximated.
    for (const [name, tolerance] of [
      ['hash_row', 0.01],
      ['parse_row', 0.01],
      ['render', 0.1],
    ] as const) {
      const t = fromTree.find((f) => f.name === name)!;
      const e = exact.find((f) => f.name === name)!;
      expect(Math.abs(t.totalTime - e.totalTime) / e.totalTime).toBeLessThan(tolerance);
      // Callees too small to draw (< 0.01 % of the profile) are folded into their caller's self.
      expect(Math.abs(t.selfTime - e.selfTime)).toBeLessThan(
        Math.max(0.01 * e.selfTime, 2e-4 * profile.summary.time),
      );
    }
  });

  it('perf script output matches perf report --no-children', async () => {
    const profile = await load('app.perf-script.txt');
    expect(profile.format).toBe('perf');
    const report = await readFile(fixture('app.perf-report.txt'), 'utf8');
    const rows = [...report.matchAll(/^\s+([\d.]+)%\s+\[[.k]\]\s+(\S+)/gm)].map((m) => ({
      share: Number(m[1]),
      name: m[2],
    }));
    const top = topBySelf(profile.summary.functions, 6);
    expect(top.map((f) => f.name)).toEqual(rows.slice(0, 6).map((r) => r.name));
    top.forEach((f, i) =>
      expect(Math.abs((100 * f.selfTime) / profile.summary.time - rows[i].share)).toBeLessThan(
        0.006,
      ),
    );
    expect(top.find((f) => f.name === 'compare')?.file).toBe('/tmp/perfapp');
  });

  it('collapsed stacks from py-spy --format raw', async () => {
    const profile = await load('app.pyspy.collapsed.txt');
    expect(profile.format).toBe('collapsed');
    const reference = (await expected('app.pyspy.collapsed.txt')).slice(0, 5);
    const top = topBySelf(profile.summary.functions, 5);
    expect(top.map((f) => `${f.name} (${basename(f.file)}:${f.line})`)).toEqual(
      reference.map((r) => r.name),
    );
    expect(top.map((f) => f.selfSamples)).toEqual(reference.map((r) => r.self));
  });

  it('speedscope JSON from py-spy (sampled)', async () => {
    const profile = await load('app.pyspy.speedscope.json');
    expect(profile.format).toBe('speedscope');
    // The 5th and 6th functions tie (2 samples each): compare the first 4.
    const reference = (await expected('app.pyspy.speedscope.json')).slice(0, 4);
    const top = topBySelf(profile.summary.functions, 4);
    expect(top.map((f) => [f.name, f.line])).toEqual(reference.map((r) => [r.name, r.line]));
    top.forEach((f, i) => expect(f.selfTime / 1e9).toBeCloseTo(reference[i].self, 6));
  });

  it('speedscope JSON (evented, hand-written per the schema)', async () => {
    const profile = await load('evented.speedscope.json');
    const byName = Object.fromEntries(
      profile.summary.functions.map((f) => [f.name, [f.selfTime / 1e6, f.totalTime / 1e6]]),
    );
    expect(byName).toEqual({ handleRequest: [5, 10], queryUsers: [3, 3], renderJson: [2, 2] });
    expect(profile.summary.sampled).toBe(false);
  });

  it.each(['go.pprof', 'go.pprof.gz'])(
    'pprof protobuf %s (Go-style, written with pprof-format)',
    async (name) => {
      const profile = await load(name);
      expect(profile.format).toBe('pprof');
      const reference = await expected('go.pprof');
      const top = topBySelf(profile.summary.functions, reference.length);
      // Ties (hashRow/mallocgc: 40 samples each) keep a stable order by key, not necessarily Go's.
      expect(new Set(top.map((f) => `${f.name}:${f.selfSamples}`))).toEqual(
        new Set(reference.map((r) => `${r.name}:${(r as unknown as { samples: number }).samples}`)),
      );
      expect(top[0]).toMatchObject({
        name: 'github.com/acme/csv.parseField',
        file: 'github.com/acme/csv/field.go',
        line: 40,
      });
      expect(top[0].selfTime / 1e6).toBe(2300);
      // The inlined parseField sits below Read in the stack: Read's total includes it.
      const read = profile.summary.functions.find((f) => f.name.endsWith('(*Reader).Read'))!;
      expect(read.totalSamples).toBe(230 + 60 + 25);
    },
  );
});

describe('profile formats: bad input', () => {
  const bad = (bytes: string | Uint8Array) =>
    parseProfile(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, 'bad.prof');
  it('names the file and the formats tried', () => {
    expect(() => bad('hello world')).toThrow(InputError);
    expect(() => bad('hello world')).toThrow(
      /bad\.prof: not a supported profile.*formats tried: V8 \.cpuprofile, pprof/,
    );
    expect(() => bad(new Uint8Array([0, 1, 2, 3, 250, 251]))).toThrow(/formats tried/);
    expect(() => bad('')).toThrow(/empty file/);
  });
  it('reports malformed JSON and JSON of another kind', () => {
    expect(() => bad('{"nodes": [')).toThrow(/malformed JSON/);
    expect(() => bad('{"a": 1}')).toThrow(/neither a V8 \.cpuprofile nor a speedscope file/);
  });
  it('reports structural errors inside a recognised format', () => {
    expect(() =>
      bad(
        '{"nodes": [{"id": 1, "callFrame": {"functionName": "(root)", "url": "", "lineNumber": -1}}], "startTime": 0, "endTime": 1, "samples": [1, 2], "timeDeltas": [1]}',
      ),
    ).toThrow(/2 samples but 1 timeDeltas/);
    expect(() => bad(Buffer.from([0x1f, 0x8b, 1, 2, 3]))).toThrow(/corrupt gzip/);
  });
  it('a missing file is an InputError', async () => {
    await expect(readProfile(join(fixtures, 'nope.cpuprofile'))).rejects.toThrow(
      /nope\.cpuprofile: file not found/,
    );
  });
  it('summaries of parsed profiles are consistent', async () => {
    const profile = await load('app.cpuprofile');
    const again = summarize(profile.tree);
    expect(again.samples).toBe(profile.summary.samples);
  });
});
