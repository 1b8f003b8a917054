// Runs code perfgate does not trust (bench files, a user's command) contained: in its own process
// group, killed as a group (with the descendants that left it, on Linux) at the end, on timeout and
// when perfgate is interrupted, never waited for past its exit because a grandchild holds its
// stdout, and with an environment that holds no GitHub or Actions secret.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Variables a bench child never sees: exact names, or `PREFIX*` for every name starting with
 * PREFIX. `INPUT_*` are the action's inputs (the `github-token` input among them).
 */
export const SECRET_ENV: readonly string[] = [
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'INPUT_*',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_*',
];

function matchesName(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/** `env` without SECRET_ENV and the `extra` names (same syntax), case-sensitively. */
export function scrubEnv(env: NodeJS.ProcessEnv, extra: readonly string[] = []): NodeJS.ProcessEnv {
  const patterns = [...SECRET_ENV, ...extra];
  const kept: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (!patterns.some((pattern) => matchesName(pattern, name))) kept[name] = value;
  }
  return kept;
}

/**
 * Pids of every live descendant of `pid` (Linux: from /proc; elsewhere none). Read while `pid`
 * is alive, this finds the processes that left the group (setsid, `detached: true`).
 */
export function descendantsOf(pid: number): number[] {
  if (process.platform !== 'linux') return [];
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Contained children alive now, by pid, so that an interrupt of perfgate takes them along. */
const live = new Map<number, Contained>();

function onInterrupt(signal: NodeJS.Signals): void {
  for (const contained of live.values()) contained.kill();
  removeInterruptHandlers();
  // Default action of the signal now that our handler is gone: perfgate ends as it would have.
  process.kill(process.pid, signal);
}
function onExit(): void {
  for (const contained of live.values()) contained.kill();
}
function addInterruptHandlers(): void {
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  process.on('SIGHUP', onInterrupt);
  process.on('exit', onExit);
}
function removeInterruptHandlers(): void {
  process.off('SIGINT', onInterrupt);
  process.off('SIGTERM', onInterrupt);
  process.off('SIGHUP', onInterrupt);
  process.off('exit', onExit);
}

export interface ContainedOptions extends Omit<SpawnOptions, 'detached' | 'env'> {
  /** Environment before scrubbing (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Extra variable names (or `PREFIX*`) to keep from the child, besides SECRET_ENV. */
  secretEnv?: readonly string[];
  /**
   * After the child exits, how long its stdout/stderr may stay open (a grandchild outside the
   * group holding them) before perfgate stops reading them. Default 1000 ms.
   */
  stdioGraceMs?: number;
}

export interface Contained {
  child: ChildProcess;
  /** SIGKILL to the child's process group and to its descendants found outside it. Idempotent. */
  kill(): void;
  /**
   * Settles once the child exited and its stdio closed (or the grace after the exit passed);
   * by then the group has been killed. `error` is set when the child could not be started.
   */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>;
}

/**
 * spawn() for untrusted code. The child leads a new process group (POSIX), gets
 * `scrubEnv(env, secretEnv)`, and is killed with its whole group when it exits (so nothing it
 * started outlives it), when `kill()` is called (timeouts), and when perfgate gets SIGINT, SIGTERM
 * or SIGHUP, or exits.
 */
export function spawnContained(
  command: string,
  args: readonly string[],
  options: ContainedOptions = {},
): Contained {
  const { env, secretEnv, stdioGraceMs = 1000, ...spawnOptions } = options;
  const posix = process.platform !== 'win32';
  const child = spawn(command, args, {
    ...spawnOptions,
    env: scrubEnv(env ?? process.env, secretEnv),
    // A new process group on POSIX (setsid); on Windows `detached` would open a console instead.
    detached: posix,
  });

  let exited = false;
  const kill = (): void => {
    const pid = child.pid;
    if (pid === undefined) return;
    // Descendants first, while the tree can still be walked from the child.
    const outside = exited ? [] : descendantsOf(pid);
    if (posix) signalQuietly(-pid, 'SIGKILL');
    if (!exited) signalQuietly(pid, 'SIGKILL');
    for (const descendant of outside) signalQuietly(descendant, 'SIGKILL');
  };

  const contained: Contained = {
    child,
    kill,
    closed: new Promise((resolve) => {
      let grace: NodeJS.Timeout | undefined;
      const forget = () => {
        if (child.pid !== undefined) live.delete(child.pid);
        if (live.size === 0) removeInterruptHandlers();
      };
      child.once('error', (error) => {
        if (child.pid !== undefined) return; // a runtime error of a started child ('close' follows)
        forget();
        resolve({ code: null, signal: null, error });
      });
      child.once('exit', () => {
        exited = true;
        // Whatever the child started and left in its group goes with it.
        kill();
        grace = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          child.stdin?.destroy();
        }, stdioGraceMs);
      });
      child.once('close', (code, signal) => {
        clearTimeout(grace);
        forget();
        resolve({ code, signal });
      });
    }),
  };
  if (child.pid !== undefined) {
    if (live.size === 0) addInterruptHandlers();
    live.set(child.pid, contained);
  }
  return contained;
}
