import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import type { ProgressEvent } from '../../src/runner/index.js';

function capture(tty: boolean) {
  let output = '';
  const stream = { write: (text: string) => (output += text), isTTY: tty, columns: 80 };
  let clock = 0;
  const progress = createProgress(stream, { tty, color: false, now: () => clock });
  return {
    progress,
    advance: (ms: number) => (clock += ms),
    output: () => output,
  };
}

const EVENTS: ProgressEvent[] = [
  { type: 'discovered', files: ['a.bench.ts', 'b.bench.ts'] },
  { type: 'file-start', file: 'a.bench.ts', index: 0, total: 2 },
  { type: 'task-start', file: 'a.bench.ts', task: 'a.bench.ts > parse' },
  { type: 'pass', file: 'a.bench.ts', task: 'a.bench.ts > parse', pass: 'timing' },
  { type: 'pass', file: 'a.bench.ts', task: 'a.bench.ts > parse', pass: 'profile' },
  { type: 'task-end', file: 'a.bench.ts', task: 'a.bench.ts > parse', medianNs: 1_234_000 },
  { type: 'task-start', file: 'a.bench.ts', task: 'render' },
  {
    type: 'task-end',
    file: 'a.bench.ts',
    task: 'render',
    error: 'TypeError: x is undefined\n  at …',
  },
  { type: 'warning', file: 'a.bench.ts', task: 'render', message: 'profile pass failed: x' },
  { type: 'file-end', file: 'a.bench.ts' },
  { type: 'file-start', file: 'b.bench.ts', index: 1, total: 2 },
  { type: 'file-end', file: 'b.bench.ts', error: 'b.bench.ts: Cannot find module ./db' },
];

describe('terminal progress', () => {
  it('prints compact lines without control characters when not a TTY (CI logs)', () => {
    const { progress, output } = capture(false);
    for (const event of EVENTS) progress.onProgress(event);
    progress.done();
    expect(output()).toBe(
      [
        'perfgate: 2 bench files',
        '[1/2] a.bench.ts',
        '  ✓ parse  median 1.23 ms',
        '  ✗ render  TypeError: x is undefined',
        '  ⚠ render: profile pass failed: x',
        '[2/2] b.bench.ts',
        '  ✗ b.bench.ts: Cannot find module ./db',
        '',
      ].join('\n'),
    );
  });

  it('shows a live status line (task, pass, elapsed) on a TTY and clears it', () => {
    const { progress, output, advance } = capture(true);
    progress.onProgress(EVENTS[1]);
    progress.onProgress(EVENTS[2]);
    advance(1500);
    progress.onProgress(EVENTS[4]);
    expect(output()).toContain('parse · profile · 1.5s');
    progress.onProgress(EVENTS[5]);
    // The status line is erased before the persistent result line.
    expect(output().endsWith('\r\x1b[2K  ✓ parse  median 1.23 ms\n')).toBe(true);
    progress.done();
  });

  it('shows a file that ran no task', () => {
    const { progress, output } = capture(false);
    progress.onProgress({ type: 'file-start', file: 'empty.bench.ts', index: 0, total: 1 });
    progress.onProgress({ type: 'file-end', file: 'empty.bench.ts' });
    expect(output()).toContain('no tasks ran');
  });
});
