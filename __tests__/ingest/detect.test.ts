// Format detection from content, and the errors for input that is not what it should be.
import { describe, expect, test } from 'vitest';
import {
  chooseImporter,
  detectImporter,
  importFile,
  type FormatName,
} from '../../src/ingest/index.js';
import { InputError } from '../../src/model/errors.js';
import { fixture, GAB_OUTPUTS } from './helpers.js';

const REAL: ReadonlyArray<[string, FormatName]> = [
  ['real/pytest/base.json', 'pytest'],
  ['real/hyperfine/base.json', 'hyperfine'],
  ['real/go/base.txt', 'go'],
  ['real/googlecpp/base.json', 'googlecpp'],
  ['real/catch2/base.txt', 'catch2'],
  ['real/cargo/base.txt', 'cargo'],
  ['real/criterion/base/sort/2000/new/estimates.json', 'criterion'],
  ['real/criterion/base/sort/2000/new/sample.json', 'criterion'],
  ['real/criterion/base/sort/2000/new/benchmark.json', 'criterion'],
  ['real/benchmarkjs/base.txt', 'benchmarkjs'],
  ['real/vitest/base.json', 'vitest'],
  ['real/deno/base.json', 'deno'],
];

function thrown(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('auto-detection', () => {
  const detectable = GAB_OUTPUTS.filter(([, tool]) => !tool.startsWith('custom'));
  test.each([...detectable.map(([file, tool]) => [`gab/${file}`, tool]), ...REAL])(
    '%s is %s',
    (path, format) => {
      const { text, file } = fixture(path);
      expect(detectImporter(text, file)?.name).toBe(format);
    },
  );

  test("gab's custom JSON does not say its direction: auto asks for the format", () => {
    for (const [file] of GAB_OUTPUTS.filter(([, tool]) => tool.startsWith('custom'))) {
      const input = fixture(`gab/${file}`);
      const error = thrown(() => importFile(input, 'auto'));
      expect(error.message).toContain(`gab/${file}: `);
      expect(error.message).toContain('customBiggerIsBetter or customSmallerIsBetter');
    }
  });
});

describe('bad input', () => {
  test('wrong format: the file, the format expected and what was found', () => {
    const error = thrown(() => importFile(fixture('gab/jmh_output.json'), 'benchmarkdotnet'));
    expect(error.message).toBe(
      'gab/jmh_output.json: expected BenchmarkDotNet full JSON report (--exporters json: *-report-full.json) ' +
        'for format benchmarkdotnet, found JMH JSON (java -jar benchmarks.jar -rf json -rff FILE) (format jmh)',
    );
    const unknown = thrown(() => chooseImporter('hello\nworld\n', 'notes.txt', 'go'));
    expect(unknown.message).toBe(
      'notes.txt: expected go test -bench output (go test -bench . [-benchmem] [-count N] > FILE) for format go, found text starting "hello"',
    );
    const json = thrown(() => chooseImporter('{"a": 1, "b": 2}', 'x.json', 'auto'));
    expect(json.message).toContain(
      'x.json: not a perfgate Run nor a benchmark result format perfgate knows (found a JSON object with keys "a", "b")',
    );
  });

  test('an empty result set is an error', () => {
    const error = thrown(() => importFile(fixture('bad/deno-failed-no-benches.json'), 'auto'));
    expect(error.message).toMatch(
      /^bad\/deno-failed-no-benches\.json: no benchmarks in this deno bench JSON/,
    );
    const cargo = thrown(() =>
      importFile(
        {
          file: 'empty.txt',
          text: '\nrunning 0 tests\n\ntest result: ok. 0 passed\n',
          sibling: () => undefined,
        },
        'cargo',
      ),
    );
    expect(cargo.message).toContain('empty.txt: expected cargo bench');
  });

  test('a JSON file cut short (crashed run) says so', () => {
    const { text } = fixture('real/hyperfine/base.json');
    const error = thrown(() =>
      importFile(
        { file: 'cut.json', text: text.slice(0, text.length / 2), sibling: () => undefined },
        'hyperfine',
      ),
    );
    expect(error.message).toMatch(/^cut\.json: /);
    expect(error.message).toContain('the file ends early');
  });

  test('a partial go run: the benchmark that did not finish is a failed benchmark, named', () => {
    const { text } = fixture('real/go/base.txt');
    const lines = text.split('\n');
    const last = lines.findIndex((line) => line.startsWith('BenchmarkJoin'));
    const crashed = [
      ...lines.slice(0, last),
      'BenchmarkJoin/size=10',
      'panic: runtime error: index out of range [3] with length 3',
      'FAIL\texample.com/perfgate/fixture\t0.5s',
    ].join('\n');
    const { benchmarks } = importFile(
      { file: 'go.txt', text: crashed, sibling: () => undefined },
      'go',
    );
    const failed = benchmarks.filter((b) => b.error !== undefined);
    expect(failed.map((b) => b.id)).toEqual([
      'example.com/perfgate/fixture > BenchmarkJoin/size=10',
    ]);
    expect(failed[0]!.error).toContain('the run stopped before this benchmark finished');
  });

  test('a partial Catch2 run: a benchmark line without its statistics is a failed benchmark', () => {
    const { text } = fixture('real/catch2/base.txt');
    // The run stops after the benchmark's first line, before its mean and std dev lines.
    const line = text.split('\n').find((l) => l.startsWith('sort 200000'))!;
    const cut = `${text.slice(0, text.indexOf(line))}${line}\n`;
    const { benchmarks } = importFile(
      { file: 'catch2.txt', text: cut, sibling: () => undefined },
      'catch2',
    );
    expect(benchmarks.filter((b) => b.error !== undefined).map((b) => b.id)).toEqual([
      'sort 200000',
    ]);
  });

  test('Google Benchmark error_occurred is a failed benchmark', () => {
    const text = JSON.stringify({
      context: { executable: './bench' },
      benchmarks: [
        {
          name: 'BM_X',
          run_name: 'BM_X',
          run_type: 'iteration',
          error_occurred: true,
          error_message: 'boom',
        },
      ],
    });
    const { benchmarks } = importFile(
      { file: 'g.json', text, sibling: () => undefined },
      'googlecpp',
    );
    expect(benchmarks).toMatchObject([{ id: 'BM_X', error: 'boom' }]);
  });
});
