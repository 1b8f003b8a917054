// One neutralisation for every output channel: terminal, action log, markdown (SVG escapes XML).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { escapeMarkdown, inlineCode } from '../../src/text/format.js';
import { neutralize, neutralizeBidi, neutralizeLogLine } from '../../src/text/neutralize.js';

const HOSTILE = 'a\nb\r\u001b]52;c;aGk=\u0007\u001b[2J\u009b31m\u202egnp.exe\u2066x\u2069';
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('neutralize', () => {
  it('shows control and bidi characters as escapes', () => {
    expect(neutralize(HOSTILE)).toBe(
      'a\\nb\\r\\u001b]52;c;aGk=\\u0007\\u001b[2J\\u009b31m\\u202egnp.exe\\u2066x\\u2069',
    );
  });

  it('never leaves an active character, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(neutralize(text)).not.toMatch(ACTIVE);
        expect(neutralizeLogLine(text)).not.toMatch(/^\s*::/);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a log line from starting a workflow command', () => {
    expect(neutralizeLogLine('::error::x')).toBe('\\::error::x');
    expect(neutralizeLogLine('   ::set-env name=A::b')).toBe('   \\::set-env name=A::b');
    expect(neutralizeLogLine('a ::error:: b')).toBe('a ::error:: b');
    expect(neutralizeLogLine('x\n::error::y')).toBe('x\\n::error::y');
  });

  it('neutralizeBidi leaves other text alone', () => {
    expect(neutralizeBidi('a\u202eb\nc')).toBe('a\\u202eb\nc');
  });
});

describe('channels', () => {
  it('terminal progress: a hostile task name and bench output print as escapes', () => {
    let output = '';
    const stream = { write: (text: string) => (output += text), isTTY: false, columns: 80 };
    const progress = createProgress(stream, { tty: false, color: false, now: () => 0 });
    progress.onProgress({ type: 'file-start', file: 'a.bench.js', index: 0, total: 1 });
    progress.onProgress({ type: 'task-start', file: 'a.bench.js', task: HOSTILE });
    progress.onProgress({ type: 'task-end', file: 'a.bench.js', task: HOSTILE, medianNs: 1000 });
    progress.output(`[a.bench.js] ${HOSTILE}`);
    progress.done();
    // Every active character except the newlines that end lines.
    expect(output.replace(/\n/g, '')).not.toMatch(ACTIVE);
    expect(output.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('markdown: bidi and control characters never reach the comment raw', () => {
    for (const text of [escapeMarkdown(HOSTILE), inlineCode(HOSTILE)]) {
      expect(text).not.toMatch(ACTIVE);
      expect(text).toContain('\\u202e');
    }
  });
});
