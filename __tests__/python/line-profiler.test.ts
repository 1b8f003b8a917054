// line_profiler's .lprof (pickled LineStats) and text output → line-level hot spots and top line
// changes, on real kernprof output (__tests__/fixtures/python/line-profiler/README.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  hotLines,
  readLineProfile,
  topLineChanges,
  type LineProfile,
} from '../../src/ingest/python/line-profiler.js';
import { readPickle } from '../../src/ingest/python/pickle.js';
import { InputError } from '../../src/model/errors.js';
import { perfgate, ROOT } from '../cli/helpers.js';

const dir = join(ROOT, '__tests__', 'fixtures', 'python', 'line-profiler');
const read = (name: string): LineProfile => {
  const file = join(dir, name);
  return readLineProfile(readFileSync(file), file);
};

describe('line_profiler', () => {
  it('reads kernprof -l .lprof files: functions, hits per line, times in ns', () => {
    const pr = read('pull-request.lprof');
    expect(pr.source).toBe('lprof');
    expect(pr.functions.map((f) => [f.file, f.name, f.line])).toEqual([
      ['users.py', 'get_user_details', 10],
      ['users.py', 'get_users', 18],
    ]);
    const details = pr.functions[0]!;
    // 5 runs × 500 users: the loop body runs 623,750 times, the return 2,500 times.
    expect(details.lines.map((l) => [l.line, l.hits])).toEqual([
      [12, 626250],
      [13, 623750],
      [14, 2500],
    ]);
  });

  it('reads the text of python -m line_profiler, agreeing with the .lprof it printed', () => {
    for (const side of ['main', 'pull-request']) {
      const binary = read(`${side}.lprof`);
      const text = read(`${side}.txt`);
      expect(text.source).toBe('line_profiler-text');
      expect(text.functions.map((f) => [f.name, f.line])).toEqual(
        binary.functions.map((f) => [f.name, f.line]),
      );
      for (const [i, f] of text.functions.entries()) {
        const b = binary.functions[i]!;
        expect(f.lines.map((l) => [l.line, l.hits])).toEqual(b.lines.map((l) => [l.line, l.hits]));
        // The text rounds to 0.1 of the timer unit (1 µs here).
        for (const [k, l] of f.lines.entries())
          expect(Math.abs(l.timeNs - b.lines[k]!.timeNs)).toBeLessThan(100);
      }
    }
    expect(read('pull-request.txt').functions[1]!.lines.at(-2)!.code!.trim()).toBe(
      'result.append({**user, "details": get_user_details(user["id"])})',
    );
  });

  it('ranks hot lines over all functions', () => {
    const [first] = hotLines(read('pull-request.lprof'), 3);
    expect(first).toMatchObject({ file: 'users.py', function: 'get_users', line: 27, hits: 2500 });
    expect(first!.share).toBeGreaterThan(0.5);
  });

  it('shows the top line changes of a function present on both sides', () => {
    const changes = topLineChanges(read('main.txt'), read('pull-request.txt'), 3);
    // get_user_details is decorated on both sides but ran on the pull request only.
    const details = changes.filter((c) => c.function === 'get_user_details');
    expect(details.map((c) => [c.baseHits, c.headLine, c.headHits])).toEqual([
      [0, 13, 623750],
      [0, 12, 626250],
      [0, 14, 2500],
    ]);
    const users = changes.filter((c) => c.function === 'get_users');
    expect(users[0]).toMatchObject({
      baseLine: null,
      headLine: 27,
      baseHits: 0,
      headHits: 2500,
      code: 'result.append({**user, "details": get_user_details(user["id"])})',
    });
    expect(users).toHaveLength(3);
  });

  it('refuses what is not line_profiler output, naming the file', () => {
    expect(() => readLineProfile(Buffer.from('hello'), 'x.txt')).toThrow(InputError);
    expect(() => readLineProfile(Buffer.from('hello'), 'x.txt')).toThrow(
      /x\.txt: not line_profiler output/,
    );
    expect(() => readPickle(new Uint8Array([0x80, 0x05, 0xff]))).toThrow(
      /unsupported pickle opcode 0xff/,
    );
  });

  it('perfgate profile lines: hot lines of one file, top line changes of two', async () => {
    const one = await perfgate(['profile', 'lines', 'pull-request.lprof', '-n', '2'], dir);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/2500 {2}users\.py:27 in get_users/);
    const two = await perfgate(
      ['profile', 'lines', 'main.txt', 'pull-request.txt', '-f', 'markdown'],
      dir,
    );
    expect(two.code).toBe(0);
    expect(two.stdout).toContain('**Top line changes** (line_profiler)');
    expect(two.stdout).toMatch(
      /\| get\\_users \(users\.py\) \| 27 \| — \| [\d.]+ s \| new \| 0 → 2500 \|/,
    );
    const bad = await perfgate(['profile', 'lines', 'README.md'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('README.md: not line_profiler output');
  });
});
