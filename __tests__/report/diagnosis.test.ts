import { describe, expect, it } from 'vitest';
import type { BenchmarkComparison } from '../../src/model/comparison.js';
import { diagnose, diagnosisLine } from '../../src/report/diagnosis.js';

const NBSP = '\u00a0';
const plain = (text: string) => text.replaceAll(NBSP, ' ');

function regression(overrides: Partial<BenchmarkComparison> = {}): BenchmarkComparison {
  return {
    id: 'users.bench.ts > users-api > GET /users',
    name: 'GET /users',
    file: 'users.bench.ts',
    group: 'users-api',
    status: 'regression',
    time: {
      base: 227e6,
      head: 900e6,
      change: 900 / 227 - 1,
      ci: [2.5, 3.4],
      pValue: 0.0001,
      unit: 'ns',
      direction: 'smaller',
      threshold: 0.1,
    },
    regressed: ['time'],
    failed: ['time'],
    reasons: [],
    ...overrides,
  };
}

describe('diagnose', () => {
  it('ties the slowdown to a new N+1 with its call site', () => {
    const b = regression({
      queries: {
        base: 1,
        head: 501,
        change: 500,
        nPlusOne: [
          {
            fingerprint: 'SELECT * FROM user_details WHERE user_id = $1',
            sample: 'SELECT * FROM user_details WHERE user_id = 1',
            perIteration: 500,
            callSite: { file: 'src/users.ts', line: 25 },
            basePerIteration: null,
            new: true,
          },
        ],
        regressed: true,
        reasons: [],
      },
    });
    expect(plain(diagnosisLine(diagnose(b)))).toBe(
      'GET /users 4.0× slower (227 → 900 ms): 500 new queries per call from src/users.ts:25 (N+1)',
    );
  });

  it('falls back to query counts, then allocations, then the function that grew most', () => {
    const queries = regression({
      queries: { base: 2, head: 6, change: 2, nPlusOne: [], regressed: true, reasons: [] },
    });
    expect(diagnose(queries).cause).toBe('queries per call 2 → 6');
    const memory = regression({
      memory: {
        base: 1024,
        head: 4096,
        change: 3,
        leak: null,
        sites: [
          { name: 'small', file: 'src/a.ts', line: 3, base: 0, head: 100 },
          { name: 'grow', file: 'src/b.ts', line: 9, base: 512, head: 3000 },
        ],
        regressed: true,
        reasons: [],
      },
    });
    expect(plain(diagnose(memory).cause!)).toBe(
      'allocations per call 1.00 → 4.00 KiB from grow (src/b.ts:9)',
    );
    const cpu = regression({
      functions: [
        { name: 'parse', file: 'src/p.ts', line: 4, base: 1, head: 1.5, change: 0.5 },
        { name: 'render', file: 'src/r.ts', line: 8, base: 2, head: 5.2, change: 1.6 },
      ],
    });
    expect(plain(diagnose(cpu).cause!)).toBe('render (src/r.ts:8) +3.20 ms per call');
  });

  it('states only the effect when nothing explains it', () => {
    const d = diagnose(regression());
    expect(d.cause).toBeUndefined();
    expect(plain(diagnosisLine(d))).toBe('GET /users 4.0× slower (227 → 900 ms)');
  });
});
