import { describe, expect, it } from 'vitest';
import {
  escapeMarkdown,
  formatBytes,
  formatArrow,
  formatChange,
  formatChangeWord,
  formatCount,
  formatDelta,
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
    // One style: a ratio beyond +100 %, else a percentage with one decimal.
    expect(formatChange(1.76)).toBe('2.8×');
    expect(formatChange(1)).toBe('2.0×');
    expect(formatChange(0.995)).toBe('+99.5%');
    expect(formatChange(0.123)).toBe('+12.3%');
    expect(formatChange(-0.05)).toBe('−5.0%');
    expect(formatChange(0)).toBe('±0.0%');
    expect(formatChange(null)).toBe('n/a');
    expect(formatInterval([1.6, 1.9])).toBe('2.6×…2.9×');
    expect(formatInterval([-0.098, 1.59])).toBe('−9.8%…2.6×');
    expect(formatInterval(null)).toBe('n/a');
    expect(formatPValue(0.0004)).toBe('<0.001');
    expect(formatPValue(0.0123)).toBe('0.012');
    expect(formatPValue(0.43)).toBe('0.43');
    expect(formatPValue(null)).toBe('n/a');
  });

  it('says a change in words, in the direction of the benchmark', () => {
    expect(formatChangeWord(3, 'smaller', 'ns')).toBe('4.0× slower');
    expect(formatChangeWord(0.53, 'smaller', 'ns')).toBe('53.0% slower');
    expect(formatChangeWord(-0.517, 'smaller', 'ns')).toBe('2.1× faster');
    expect(formatChangeWord(-0.2, 'smaller', 'ns')).toBe('20.0% faster');
    expect(formatChangeWord(-0.6, 'bigger', 'ops/s')).toBe('2.5× slower');
    expect(formatChangeWord(0.12, 'smaller', 'B')).toBe('12.0% higher');
  });

  it('joins values and units with non-breaking spaces, the unit once when shared', () => {
    expect(formatArrow(227e6, 900e6, 'ns')).toBe('227\u00a0→\u00a0900\u00a0ms');
    expect(formatArrow(850e3, 1.2e6, 'ns')).toBe('850\u00a0µs\u00a0→\u00a01.20\u00a0ms');
    expect(formatArrow(1, 501, 'queries')).toBe('1\u00a0→\u00a0501\u00a0queries');
    expect(formatDelta(3.2e6, 'ns')).toBe('+3.20\u00a0ms');
    expect(formatDelta(-512, 'B')).toBe('−512\u00a0B');
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
