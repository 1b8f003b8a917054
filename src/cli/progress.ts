import pc from 'picocolors';
import type { ProgressEvent } from '../runner/index.js';
import { formatDuration } from '../text/format.js';
import { neutralize, neutralizeFields } from '../text/neutralize.js';

/** Where progress goes: stderr, so that stdout (e.g. `--format json`) stays clean. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressRenderer {
  onProgress(event: ProgressEvent): void;
  /** Prints a line of other output (the bench code's console) above the live status line. */
  output(line: string): void;
  /** Removes the live status line (call before printing anything else, and at the end). */
  done(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Terminal progress of a run. On a TTY: one persistent line per file and per finished task, plus
 * a live status line (task, pass, elapsed time) redrawn in place. Elsewhere (CI logs): the same
 * persistent lines only, no control characters, so logs stay compact and readable.
 */
export function createProgress(
  stream: ProgressStream,
  options: { tty?: boolean; color?: boolean; now?: () => number } = {},
): ProgressRenderer {
  const tty = options.tty ?? Boolean(stream.isTTY);
  const color = pc.createColors(options.color ?? (tty && pc.isColorSupported));
  const now = options.now ?? Date.now;
  let status:
    { file: string; task: string; pass: string; passes: string[]; started: number } | undefined;
  let tasksDone = 0;
  let frame = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let statusShown = false;

  const clearStatus = () => {
    if (statusShown) stream.write('\r\x1b[2K');
    statusShown = false;
  };
  const drawStatus = () => {
    if (!tty || !status) return;
    const elapsed = ((now() - status.started) / 1000).toFixed(1);
    const line = `  ${color.cyan(SPINNER[frame++ % SPINNER.length])} ${status.task} ${color.dim(`· ${status.pass} · ${elapsed}s`)}`;
    const width = Math.max(20, (stream.columns || 100) - 1); // 0 when the size is unknown
    stream.write(`\r\x1b[2K${truncateVisible(line, width)}`);
    statusShown = true;
  };
  const print = (line: string) => {
    clearStatus();
    stream.write(`${line}\n`);
    drawStatus();
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    onProgress(raw) {
      // Names and messages come from bench code: no control character reaches the terminal.
      // Errors and warnings show their first line only (the rest goes to the final report).
      const event = neutralizeFields(
        {
          ...raw,
          ...('error' in raw && raw.error !== undefined ? { error: firstLine(raw.error) } : {}),
          ...('message' in raw ? { message: firstLine(raw.message) } : {}),
        },
        neutralize,
      );
      switch (event.type) {
        case 'discovered':
          print(
            color.dim(
              `perfgate: ${event.files.length} bench file${event.files.length === 1 ? '' : 's'}`,
            ),
          );
          break;
        case 'file-start':
          tasksDone = 0;
          print(`${color.bold(`[${event.index + 1}/${event.total}]`)} ${event.file}`);
          break;
        case 'task-start':
          status = {
            file: event.file,
            task: taskLabel(event.file, event.task),
            pass: event.phase === 'passes' ? 'passes' : 'warm-up',
            passes: [],
            started: now(),
          };
          if (tty && !timer) {
            timer = setInterval(drawStatus, 100);
            timer.unref();
          }
          drawStatus();
          break;
        case 'pass':
          if (status) {
            status.pass = event.pass;
            if (event.pass !== 'timing') status.passes.push(event.pass);
          }
          drawStatus();
          break;
        case 'task-end': {
          if (event.phase === 'passes') {
            // The second line of a task: which instrumented passes ran (errors come as warnings).
            const passes = status?.passes.join(' · ') ?? '';
            status = undefined;
            stopTimer();
            print(`  ${color.dim('↳')} ${taskLabel(event.file, event.task)}  ${color.dim(passes)}`);
            break;
          }
          tasksDone += 1;
          status = undefined;
          stopTimer();
          const result = event.error
            ? `${color.red('✗')} ${taskLabel(event.file, event.task)}  ${color.red(firstLine(event.error))}`
            : `${color.green('✓')} ${taskLabel(event.file, event.task)}${event.medianNs !== undefined ? `  ${color.dim(`median ${formatDuration(event.medianNs)}`)}` : ''}`;
          print(`  ${result}`);
          break;
        }
        case 'file-end':
          status = undefined;
          stopTimer();
          if (event.error) print(`  ${color.red('✗')} ${color.red(firstLine(event.error))}`);
          else if (tasksDone === 0) print(`  ${color.yellow('no tasks ran')}`);
          break;
        case 'warning':
          print(
            `  ${color.yellow(`⚠ ${event.task ? `${event.task}: ` : ''}${firstLine(event.message)}`)}`,
          );
          break;
        default: {
          // Events added later by the runner: show their message if they have one.
          const message = (event as { message?: unknown }).message;
          if (typeof message === 'string') print(`  ${color.yellow(message)}`);
        }
      }
    },
    output(line) {
      print(neutralize(line));
    },
    done() {
      stopTimer();
      status = undefined;
      clearStatus();
    },
  };
}

/** The task as shown under its file's line: the id without the file (`group > name`). */
function taskLabel(file: string, task: string): string {
  return task.startsWith(`${file} > `) ? task.slice(file.length + 3) : task;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0];
}

/** Cuts a line with ANSI colours to `width` visible characters. */
function truncateVisible(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i += 1) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      if (end !== -1) {
        out += line.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (visible >= width) break;
    out += line[i];
    visible += 1;
  }
  return visible >= width ? `${out}\x1b[0m` : out;
}
