import { describe, expect, it } from 'vitest';
import { parseRun } from '../src/model/io.js';
import { InputError } from '../src/model/errors.js';

const valid = {
  schemaVersion: 1,
  tool: 'perfgate',
  meta: {
    timestamp: '2026-01-01T00:00:00.000Z',
    env: { os: 'linux', cpu: 'x', cores: 2, node: 'v20.0.0', runner: 'local' },
  },
  benchmarks: [],
};

describe('parseRun', () => {
  it('accepts a valid Run', () => {
    expect(parseRun(JSON.stringify(valid), 'run.json').benchmarks).toEqual([]);
  });

  it('names the file on malformed JSON', () => {
    expect(() => parseRun('{', 'bad.json')).toThrow(InputError);
    expect(() => parseRun('{', 'bad.json')).toThrow(/bad\.json: malformed JSON/);
  });

  it('explains an unsupported schema version', () => {
    expect(() => parseRun(JSON.stringify({ ...valid, schemaVersion: 9 }), 'new.json')).toThrow(
      /new\.json: unsupported schemaVersion 9.*upgrade perfgate/,
    );
  });

  it('lists the fields that are wrong', () => {
    const broken = { ...valid, benchmarks: [{ id: 'x' }] };
    expect(() => parseRun(JSON.stringify(broken), 'b.json')).toThrow(
      /b\.json: not a valid perfgate Run: benchmarks\.0\./,
    );
  });
});
