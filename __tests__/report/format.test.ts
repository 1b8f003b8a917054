import { describe, expect, it } from 'vitest';
import {
  escapeMarkdown,
  formatBytes,
  formatChange,
  formatCount,
  formatDuration,
  formatInterval,
  formatPValue,
  formatValue,
  inlineCode,
} from '../../src/text/format.js';

describe('format', () => {
  it('humanises durations, bytes, counts and units', () => {
    expect(formatDuration(512)).toBe('512 ns');
    expect(formatDuration(2_100_000)).toBe('2.10 ms');
    expect(formatDuration(1.5e9)).toBe('1.50 s');
    expect(formatValue(12.5, 'µs')).toBe('12.5 µs');
    expect(formatValue(1_234_567, 'ops/s')).toBe('1.23M ops/s');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatCount(12_345)).toBe('12.3k');
  });

  it('changes, intervals and p-values as the report prints them', () => {
    expect(formatChange(1.76)).toBe('+176%');
    expect(formatChange(0.123)).toBe('+12.3%');
    expect(formatChange(-0.05)).toBe('−5.0%');
    expect(formatChange(0)).toBe('±0.0%');
    expect(formatChange(null)).toBe('n/a');
    expect(formatInterval([1.6, 1.9])).toBe('+160%…+190%');
    expect(formatInterval(null)).toBe('n/a');
    expect(formatPValue(0.0004)).toBe('<0.001');
    expect(formatPValue(0.0123)).toBe('0.012');
    expect(formatPValue(0.43)).toBe('0.43');
    expect(formatPValue(null)).toBe('n/a');
  });

  it('escapes markdown from PR code', () => {
    expect(escapeMarkdown('a|b <script> `x` @me *y* [l](u)\nz')).toBe(
      'a\\|b \\<script\\> \\`x\\` @\u200bme \\*y\\* \\[l\\]\\(u\\) z',
    );
  });

  it('inline code survives backticks; pipes escaped only for tables', () => {
    expect(inlineCode('SELECT `a` FROM t')).toBe('``SELECT `a` FROM t``');
    expect(inlineCode('`x`')).toBe('`` `x` ``');
    expect(inlineCode('a | b')).toBe('`a \\| b`');
    expect(inlineCode('a | b', { inTable: false })).toBe('`a | b`');
    expect(inlineCode('x'.repeat(10) + '`'.repeat(200_000))).toMatch(/^`{200001} /);
  });
});
