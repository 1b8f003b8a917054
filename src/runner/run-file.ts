// Parent side of one bench child: spawn, talk over IPC, enforce the timeout, report crashes.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../model/errors.js';
import type { Benchmark } from '../model/run.js';
import { summarize } from '../stats/summary.js';
import { spawnContained } from './contain.js';
import type { ChildMessage, StartMessage } from './protocol.js';

/**
 * dist/child.js: `PERFGATE_CHILD_SCRIPT` when set (perfgate's own development), else beside the running module when perfgate runs bundled (dist/cli.js, dist/index.js),
 * or in the package's dist/ when the sources run unbundled (tests import src/).
 */
export function childScriptPath(moduleUrl: string = import.meta.url): string {
  if (process.env.PERFGATE_CHILD_SCRIPT) return resolve(process.env.PERFGATE_CHILD_SCRIPT);
  const here = fileURLToPath(moduleUrl);
  const beside = join(dirname(here), 'child.js');
  if (!/\.[cm]?ts$/.test(here) && existsSync(beside)) return beside;
  return resolve(dirname(here), '..', '..', 'dist', 'child.js');
}

export interface FileOutcome {
  benchmarks: Benchmark[];
  /** Node version reported by the child (`v20.20.2`), when it got that far. */
  node?: string;
  /** Set when the file failed as a whole (load error, crash, timeout). */
  error?: string;
  /**
   * Id of the task that was running when the child died: its benchmark is in `benchmarks` with
   * the crash as `error` (so compare reports it as failed, not as removed).
   */
  crashedTask?: string;
}

export interface RunFileOptions {
  job: StartMessage;
  /** Node binary (config.node, else `node` on PATH). */
  node: string;
  timeoutMs: number;
  onMessage: (message: ChildMessage) => void;
  /** Output of the bench code (console.log and friends), line by line. */
  onOutput: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** Longer output lines are cut into pieces of this many characters. */
export const MAX_OUTPUT_LINE = 64 * 1024;

/**
 * Splits a stream into lines; the last partial line is flushed at the end. Only the new chunk is
 * searched for line ends, and a line longer than MAX_OUTPUT_LINE is passed on in pieces, so
 * output without newlines costs linear time and bounded memory.
 */
export function lineSplitter(onLine: (line: string) => void): {
  push(chunk: string): void;
  end(): void;
} {
  let pending = '';
  return {
    push(chunk) {
      let start = 0;
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
        const line = pending + chunk.slice(start, nl);
        pending = '';
        onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
        start = nl + 1;
      }
      pending += chunk.slice(start);
      while (pending.length > MAX_OUTPUT_LINE) {
        onLine(pending.slice(0, MAX_OUTPUT_LINE));
        pending = pending.slice(MAX_OUTPUT_LINE);
      }
    },
    end() {
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

const STDERR_TAIL_LINES = 60;

/**
 * The line that says why a child died: V8's fatal error, else the last error line Node printed
 * for an uncaught exception (`TypeError: …`), else the last lines of stderr.
 */
export function crashReason(stderrTail: readonly string[]): string {
  const fatal = stderrTail.find((line) => /FATAL ERROR|out of memory/i.test(line));
  if (fatal) return fatal.trim();
  const uncaught = stderrTail.findLast((line) =>
    /^(?:Uncaught )?[A-Z]\w*(?:Error|Exception)\b/.test(line),
  );
  if (uncaught) return uncaught.trim();
  return stderrTail
    .filter((line) => line.trim() !== '')
    .slice(-3)
    .map((line) => line.trim())
    .join(' | ');
}

export function runBenchFile(options: RunFileOptions): Promise<FileOutcome> {
  const { job } = options;
  const script = childScriptPath();
  if (!existsSync(script)) {
    throw new Error(`perfgate's bench child ${script} is missing: run \`npm run build\` first`);
  }
  return new Promise((resolvePromise, reject) => {
    const outcome: FileOutcome = { benchmarks: [] };
    let done = false;
    let currentTask: { id: string; name: string; group?: string } | undefined;
    let timedOut = false;
    let settled = false;
    const stderrTail: string[] = [];

    let unsettled = false;
    const contained = spawnContained(options.node, ['--expose-gc', script], {
      cwd: job.projectRoot,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // PERFGATE=1 lets a bench file that also runs standalone tell it runs under perfgate.
      env: { ...process.env, PERFGATE: '1' },
      secretEnv: job.config.run.secretEnv,
    });
    const { child } = contained;

    const stdout = lineSplitter((line) => options.onOutput(line, 'stdout'));
    const stderr = lineSplitter((line) => {
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      options.onOutput(line, 'stderr');
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));

    // The timeout covers the whole group: everything the bench started dies with it.
    const timer = setTimeout(() => {
      timedOut = true;
      contained.kill();
    }, options.timeoutMs);

    child.on('message', (raw) => {
      const message = raw as ChildMessage;
      switch (message.type) {
        case 'hello':
          outcome.node = message.node;
          break;
        case 'task-start':
          currentTask = {
            id: message.task,
            name: message.name,
            ...(message.group !== undefined ? { group: message.group } : {}),
          };
          break;
        case 'task-end':
          currentTask = undefined;
          break;
        case 'benchmark': {
          // Sent after timing, and again with the attachments after the passes.
          const index = outcome.benchmarks.findIndex((b) => b.id === message.benchmark.id);
          if (index >= 0) outcome.benchmarks[index] = message.benchmark;
          else outcome.benchmarks.push(message.benchmark);
          break;
        }
        case 'file-error':
          outcome.error = message.message;
          break;
        case 'unsettled':
          unsettled = true;
          break;
        case 'done':
          done = true;
          // The child waits to be killed, so that its descendants can still be found.
          contained.kill();
          break;
      }
      options.onMessage(message);
    });

    // 'closed' comes after the exit and the end of stdout/stderr (or the grace after the exit,
    // when something outside the group holds them), so the output is complete.
    void contained.closed.then(({ code, signal, error }) => {
      if (error) onSpawnError(error as NodeJS.ErrnoException);
      else onClose(code, signal);
    });

    const onSpawnError = (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error.code === 'ENOENT') {
        reject(
          new InputError(
            `cannot start node "${options.node}" to run bench files (set "node" in the config to a Node binary, or put node on PATH)`,
          ),
        );
      } else reject(error);
    };

    const onClose = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stdout.end();
      stderr.end();
      if (!done && outcome.error === undefined) {
        const during = currentTask ? ` while running "${currentTask.id}"` : '';
        if (timedOut) {
          outcome.error = `timed out after ${options.timeoutMs} ms${during} (run.timeout in the config); the bench child was killed with its process group`;
        } else if (unsettled) {
          outcome.error = `bench code awaited a promise that never settles${during}: the event loop emptied with nothing left to settle it`;
        } else {
          const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          const hint =
            code === 0
              ? ' (did the bench code call process.exit()?)'
              : signal === 'SIGABRT' || code === 134
                ? ' (out of memory?)'
                : '';
          const tail = crashReason(stderrTail);
          outcome.error = `bench child ${how} before finishing${during}${hint}${tail ? `: ${tail}` : ''}`;
        }
      }
      const crashed = currentTask;
      if (
        outcome.error !== undefined &&
        crashed &&
        !outcome.benchmarks.some((b) => b.id === crashed.id)
      ) {
        // The task the child died in: record it as errored, and close it for progress renderers.
        outcome.crashedTask = crashed.id;
        outcome.benchmarks.push({
          id: crashed.id,
          name: crashed.name,
          file: job.relativeFile,
          ...(crashed.group !== undefined ? { group: crashed.group } : {}),
          unit: 'ns',
          direction: 'smaller',
          samples: [],
          stats: summarize([]),
          error: outcome.error,
        });
        options.onMessage({ type: 'task-end', task: crashed.id, error: outcome.error });
      }
      resolvePromise(outcome);
    };

    // A failed send surfaces as 'error' / 'close' above.
    child.send(job, () => undefined);
  });
}
