// A fourth attachment kind (./handles/kind.ts, written as a kind's own folder) registered in a
// test flows through a stored Run, compare() and the reports without a change anywhere else:
// what docs/architecture.md ("How to add a kind") promises.
import { afterEach, describe, expect, it } from 'vitest';
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { kinds, registerKind } from '../../src/kinds/index.js';
import { InputError } from '../../src/model/errors.js';
import { parseRun, serializeRun } from '../../src/model/io.js';
import { checkBenchmark } from '../../src/runner/check-benchmark.js';
import { markdownReport } from '../../src/report/markdown.js';
import { textReport } from '../../src/report/text.js';
import { bench, noisy, prng, run } from '../helpers/runs.js';
import { handlesKind } from './handles/kind.js';

let unregister: (() => void) | undefined;
afterEach(() => {
  unregister?.();
  unregister = undefined;
});

function runs() {
  const random = prng(7);
  const same = noisy(1000, 30, 0.01, random);
  const id = 'bench/files.bench.ts > open';
  const base = run([bench(id, same, { handles: { perOp: 1 } })], { commit: 'base' });
  const head = run([bench(id, same, { handles: { perOp: 3 } })], { commit: 'head' });
  return { base, head, id };
}

describe('a kind registered in a test', () => {
  it('is compared, gates, highlights and has its sections in both reports', () => {
    unregister = registerKind(handlesKind);
    expect(kinds().map((k) => k.name)).toEqual([
      'profile',
      'calls',
      'queries',
      'memory',
      'handles',
    ]);
    const { base, head, id } = runs();
    const comparison = compare([base], head, {
      ...defaultConfig(),
      failOn: ['time', 'handles'],
    });
    const b = comparison.benchmarks[0]!;
    expect(b.handles).toEqual({
      base: 1,
      head: 3,
      regressed: true,
      reasons: ['open handles per op 1 → 3'],
    });
    expect(b.status).toBe('unchanged');
    expect(b.regressed).toEqual(['handles']);
    expect(b.failed).toEqual(['handles']);
    expect(comparison.verdict).toBe('fail');
    expect(comparison.reasons).toEqual([`${id}: handles: open handles per op 1 → 3`]);
    expect(comparison.highlights).toEqual([`${id}: handles leak`]);

    const markdown = markdownReport(comparison);
    expect(markdown).toContain('1 handle regression');
    expect(markdown).toContain('### Call-count, query, memory and handle regressions');
    expect(markdown).toContain(`- ${id.replace('>', '\\>')}: handles: open handles per op 1 → 3`);
    expect(markdown).toContain('### Open handles');
    const text = textReport(comparison);
    expect(text).toContain('Open handles');
    expect(text).toContain(`• ${id}: 1 → 3`);
  });

  it('informs without gating when its check is not in failOn', () => {
    unregister = registerKind(handlesKind);
    const { base, head } = runs();
    const comparison = compare([base], head, defaultConfig());
    expect(comparison.benchmarks[0]!.regressed).toEqual(['handles']);
    expect(comparison.benchmarks[0]!.failed).toEqual([]);
    expect(comparison.verdict).toBe('pass');
  });

  it('its attachment survives a stored Run and is validated there', () => {
    const { head } = runs();
    unregister = registerKind(handlesKind);
    const json = serializeRun(head);
    expect(JSON.parse(json).benchmarks[0].handles).toEqual({ perOp: 3 });
    expect(parseRun(json, 'head.json').benchmarks[0]!.handles).toEqual({ perOp: 3 });
    const bad = json.replace('"perOp": 3', '"perOp": -3');
    expect(bad).not.toBe(json);
    expect(() => parseRun(bad, 'bad.json')).toThrow(InputError);
    expect(() => parseRun(bad, 'bad.json')).toThrow(/bad\.json.*handles\.perOp/);
    // The bench child's check drops an invalid attachment with a warning, like a built-in one.
    const checked = checkBenchmark({ ...head.benchmarks[0]!, handles: { perOp: Number.NaN } });
    expect(checked.benchmark.handles).toBeUndefined();
    expect(checked.dropped).toEqual([expect.stringMatching(/^handles data dropped/)]);
    expect(checked.invalid).toBeUndefined();
    // Unregistered, the field is not part of a Run any more (zod strips unknown fields).
    unregister();
    unregister = undefined;
    expect(parseRun(json, 'head.json').benchmarks[0]!.handles).toBeUndefined();
  });

  it('refuses a second kind of the same name', () => {
    unregister = registerKind(handlesKind);
    expect(() => registerKind(handlesKind)).toThrow(/already registered/);
  });
});
