// github-action-benchmark's 24 real tool outputs (its own test data), read with gab's tool names.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importFile, type FormatName } from '../../src/ingest/index.js';
import { fixture, FIXTURES, GAB_OUTPUTS } from './helpers.js';

const read = (file: string, tool: string) => importFile(fixture(`gab/${file}`), tool as FormatName);

describe("gab's outputs", () => {
  test('the list covers every output in the folder', () => {
    const files = readdirSync(join(FIXTURES, 'gab')).filter((name) => name !== 'ORIGIN.md');
    expect(files.sort()).toEqual(GAB_OUTPUTS.map(([file]) => file).sort());
    expect(files).toHaveLength(24);
  });

  test.each(GAB_OUTPUTS)('%s parses as %s', (file, tool) => {
    const { benchmarks, format } = read(file, tool);
    expect(format).toBe(tool);
    expect(benchmarks.length).toBeGreaterThan(0);
    for (const b of benchmarks) {
      expect(b.error).toBeUndefined();
      expect(b.id.length).toBeGreaterThan(0);
      expect(b.samplesKind === 'raw' ? b.samples.length : b.stats.mean).toBeGreaterThanOrEqual(0);
      if (b.samplesKind === 'summary') expect(b.samples).toEqual([]);
    }
    expect(new Set(benchmarks.map((b) => b.id)).size).toBe(benchmarks.length);
  });

  test('cargo: names, values and units as printed; throughput is bigger-is-better', () => {
    const b = read('cargo_output3.txt', 'cargo').benchmarks;
    expect(b.map((x) => [x.id, x.stats.mean, x.unit])).toEqual([
      ['bench_fib_10', 148.7, 'ns'],
      ['bench_fib_20', 18794.12, 'ns'],
    ]);
    const units = read('cargo_output_units.txt', 'cargo').benchmarks;
    expect(units.map((x) => [x.id, x.unit, x.direction])).toEqual([
      ['cmov', 'cycles', 'smaller'],
      ['cmov2', 'cycles', 'smaller'],
      ['mov', 'cycles', 'smaller'],
      ['upload', 'MS/s', 'bigger'],
      ['download', 'MS/s', 'bigger'],
    ]);
    expect(read('criterion_output.txt', 'cargo').benchmarks.map((x) => x.id)).toEqual([
      'Create Realm',
      'Symbols (Execution)',
      'For loop (Execution)',
      'Fibonacci (Execution)',
    ]);
  });

  test('go: package in the id, GOMAXPROCS suffix dropped, B/op → memory, other metrics → benchmarks', () => {
    const b = read('go_fiber_duplicate_names_output.txt', 'go').benchmarks;
    const cache = b.find(
      (x) => x.id === 'github.com/gofiber/fiber/v3/middleware/cache > BenchmarkAppendMsgitem',
    )!;
    expect(cache.samples).toEqual([55.76]);
    expect(cache.memory?.allocBytesPerOp).toBe(0);
    expect(b.find((x) => x.id === `${cache.id} [MB/s]`)).toMatchObject({
      unit: 'MB/s',
      direction: 'bigger',
      samples: [2833.37],
    });
    expect(b.find((x) => x.id === `${cache.id} [allocs/op]`)).toMatchObject({
      unit: 'allocs/op',
      direction: 'smaller',
    });
    // The same name in two packages: two benchmarks.
    expect(b.filter((x) => x.name === 'BenchmarkAppendMsgitem')).toHaveLength(2);
    const plain = read('go_output.txt', 'go').benchmarks.map((x) => x.id);
    expect(plain).toContain('BenchmarkFib10');
    expect(plain).toContain('BenchmarkFib/my/tabled/benchmark_-_20,var1=13,var2=14');
    expect(plain).toContain('BenchmarkFib11 [auxMetricUnits]');
    expect(
      read('go_single_package_output.txt', 'go').benchmarks.map((x) => [x.id, x.samples]),
    ).toEqual([
      ['github.com/example/mypackage > BenchmarkFib10', [325]],
      ['github.com/example/mypackage > BenchmarkFib20', [40537]],
    ]);
  });

  test('pytest: ids are the fullname; cut stats.data falls back to the summary, kept data is raw', () => {
    const [fib10] = read('pytest_output.json', 'pytest').benchmarks;
    expect(fib10).toMatchObject({
      id: 'bench.py::test_fib_10',
      file: 'bench.py',
      name: 'test_fib_10',
      samplesKind: 'summary',
      unit: 'ns',
    });
    expect(fib10!.stats.n).toBe(38523);
    expect(fib10!.stats.mean).toBeCloseTo(24088.68, 1);
    const sleep = read('pytest_several_units.json', 'pytest').benchmarks.find(
      (x) => x.id === 'bench.py::test_sleep_2',
    )!;
    expect(sleep.samplesKind).toBe('raw');
    expect(sleep.samples).toHaveLength(5);
    expect(Math.min(...sleep.samples)).toBeCloseTo(2.001044877e9, -1);
  });

  test('googlecpp, catch2, julia, jmh, benchmarkdotnet, benchmarkjs, luau, custom', () => {
    expect(
      read('googlecpp_output.json', 'googlecpp').benchmarks.map((x) => [x.id, x.file, x.samples]),
    ).toEqual([
      ['fib_10', 'a.out', [214.98980114547953]],
      ['fib_20', 'a.out', [27455.600415007055]],
    ]);
    const catch2 = read('catch2_output_v2.txt', 'catch2').benchmarks;
    expect(catch2.map((x) => [x.id, x.group, x.stats.mean, x.stats.sd, x.stats.n])).toEqual([
      ['Fibonacci 10', 'Fibonacci', 344, 19, 100],
      ['Fibonacci 20', 'Fibonacci', 41731, 3256, 100],
      ['Fibonacci~ 5!', 'More Fibonacci', 36, 4, 100],
      ['Fibonacci-15_bench', 'More Fibonacci', 3789, 362, 100],
    ]);
    const julia = read('julia_output.json', 'julia').benchmarks;
    expect(julia.map((x) => x.id)).toEqual([
      'fib/10',
      'fib/10 [allocs]',
      'fib/20',
      'fib/20 [allocs]',
    ]);
    expect(julia[0]!.memory?.allocBytesPerOp).toBe(0);
    const [jmh] = read('jmh_output_2.json', 'jmh').benchmarks;
    expect(jmh).toMatchObject({
      id: 'org.openjdk.jmh.samples.JMHSample_01_HelloWorld > wellHelloThere(paramA=17, paramB=33)',
      unit: 'ops/s',
      direction: 'bigger',
      samplesKind: 'raw',
    });
    expect(jmh!.samples).toHaveLength(3);
    const dotnet = read('benchmarkdotnet.json', 'benchmarkdotnet').benchmarks;
    expect(dotnet.map((x) => [x.id, x.samples.length])).toEqual([
      ['Sample.Benchmarks > Fib10', 14],
      ['Sample.Benchmarks > Fib20', 13],
    ]);
    const js = read('benchmarkjs_output.txt', 'benchmarkjs').benchmarks;
    expect(js.map((x) => [x.id, x.stats.mean, x.stats.n, x.unit, x.direction])).toEqual([
      ['fib(10)', 1431759, 93, 'ops/s', 'bigger'],
      ['fib(20)', 12146, 96, 'ops/s', 'bigger'],
      ['createObjectBuffer with 200 comments', 81.61, 69, 'ops/s', 'bigger'],
    ]);
    expect(js[0]!.stats.sd).toBeGreaterThan(0);
    expect(
      read('benchmarkluau_output.txt', 'benchmarkluau').benchmarks.map((x) => [x.id, x.stats.mean]),
    ).toEqual([
      ['base64', 15.041e6],
      ['chess', 69.56e6],
      ['life', 85.089e6],
    ]);
    const bigger = read('customBiggerIsBetter_output.json', 'customBiggerIsBetter').benchmarks;
    expect(bigger.map((x) => [x.id, x.unit, x.direction, x.stats.mean])).toEqual([
      ['My Custom Bigger Is Better Benchmark - Throughput', 'req/s', 'bigger', 70],
      ['My Custom Bigger Is Better Benchmark - Free Memory', 'Megabytes', 'bigger', 150],
    ]);
    const smaller = read('customSmallerIsBetter_output2.json', 'customSmallerIsBetter').benchmarks;
    expect(smaller.every((x) => x.direction === 'smaller' && x.unit === 'ns')).toBe(true);
  });
});
