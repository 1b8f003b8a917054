import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseV8Fast } from '../../src/profile/formats/v8-fast.js';

const root = resolve(import.meta.dirname, '../..');

describe('V8 fast path (large .cpuprofile files)', () => {
  it('gives the same profile as JSON.parse', async () => {
    const bytes = await readFile(join(root, '__tests__/fixtures/profiles/app.cpuprofile'));
    const reference = JSON.parse(bytes.toString('utf8'));
    const fast = parseV8Fast(bytes, 0)!;
    expect(fast.nodes).toEqual(reference.nodes);
    expect([fast.startTime, fast.endTime]).toEqual([reference.startTime, reference.endTime]);
    expect(Array.from(fast.samples!)).toEqual(reference.samples);
    expect(Array.from(fast.timeDeltas!)).toEqual(reference.timeDeltas);
  });

  it('handles whitespace, key order, negative and fractional numbers, strings with brackets', () => {
    const text = `{
      "timeDeltas" : [ 5, -1, 2.5e1 , 0.25 ],
      "nodes": [{"id": 1, "callFrame": {"functionName": "a]\\"},{", "url": "", "lineNumber": -1}}],
      "startTime": 0, "endTime": 10,
      "samples": [1,1,1, 1]
    }`;
    const fast = parseV8Fast(Buffer.from(text), 0)!;
    expect(Array.from(fast.timeDeltas!)).toEqual([5, -1, 25, 0.25]);
    expect(Array.from(fast.samples!)).toEqual([1, 1, 1, 1]);
    expect(fast.nodes[0].callFrame.functionName).toBe('a]"},{');
  });

  it('declines anything unexpected (the full parser then reports it)', () => {
    expect(
      parseV8Fast(Buffer.from('{"nodes": [], "samples": [1, "x"], "timeDeltas": [1, 2]}'), 0),
    ).toBeUndefined();
    expect(
      parseV8Fast(Buffer.from('{"nodes": [], "samples": [1, 2], "timeDeltas": [1, 2'), 0),
    ).toBeUndefined();
    expect(parseV8Fast(Buffer.from('[1, 2]'), 0)).toBeUndefined();
    expect(
      parseV8Fast(Buffer.from('{"nodes": [], "samples": [], "timeDeltas": []}'), 0),
    ).toMatchObject({ nodes: [] });
    expect(parseV8Fast(Buffer.from('{"a": 1}'))).toBeUndefined();
  });
});
