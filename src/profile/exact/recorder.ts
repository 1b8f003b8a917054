/**
 * The recorder that instrumented project modules (exact/transform.ts) report to, in the bench
 * child: exact call counts and async-inclusive time per function. Counting is on only while the
 * exact-calls pass runs; off, instrumented code never calls in here.
 *
 * Inclusive time is the time during which at least one call of the function is in flight (from
 * call to return, or to the settling of the promise it returned): recursion and concurrent calls
 * (500 awaited lookups in a Promise.all) are counted once each but their time is not added twice.
 *
 * In the callers round (an extra untimed round after the timed ones) the recorder records instead
 * which project function called which: an AsyncLocalStorage holds the project function running,
 * and instrumented code sets it on every call, return, suspension (`await`) and resumption, so a
 * call made after an `await` is still charged to the function that awaited.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { RECORDER_KEY } from './transform.js';

/** No project function running: called by the task's own code (or none of the project's). */
export const NO_CALLER = -1;

/** A function of the recorder's table, by name, file and line. */
export type RecordedKey = Pick<RecordedFunction, 'name' | 'file' | 'line'>;

export interface RecordedEdge {
  callee: RecordedKey;
  /** Undefined: no project function was running (the task's own code called it). */
  caller: RecordedKey | undefined;
  calls: number;
}

export interface RecordedFunction {
  name: string;
  file: string;
  line: number;
  calls: number;
  /** Inclusive time, ms (since the last reset). */
  inclusiveMs: number;
}

export class ExactRecorder {
  /** Read by instrumented code on every call. */
  on = false;
  /** The callers round: calls record their caller (not counted or timed). */
  private callers = false;
  private storage: AsyncLocalStorage<number> | undefined;
  /** callee id → caller id (NO_CALLER: none) → calls, in the callers round. */
  private edges = new Map<number, Map<number, number>>();
  private readonly names: string[] = [];
  private readonly files: string[] = [];
  private readonly lines: number[] = [];
  private calls: number[] = [];
  private readonly active: number[] = [];
  private readonly since: number[] = [];
  private total: number[] = [];

  /** A module's functions, in its table's order; returns the id of the first. */
  module(file: string, table: ReadonlyArray<readonly [string, number]>): number {
    const base = this.names.length;
    for (const [name, line] of table) {
      this.names.push(name);
      this.files.push(file);
      this.lines.push(line);
      this.calls.push(0);
      this.active.push(0);
      this.since.push(0);
      this.total.push(0);
    }
    return base;
  }

  /**
   * A call starts. Returns anything but -1 (the call must be ended): 0 normally; in the callers
   * round the caller's id + 2 (> 0), which the call hands back to restore it on leaving.
   */
  enter(id: number): number {
    if (this.callers) {
      const caller = this.storage!.getStore() ?? NO_CALLER;
      this.edge(caller, id);
      this.storage!.enterWith(id);
      return caller + 2;
    }
    this.calls[id] += 1;
    if (this.active[id]++ === 0) this.since[id] = performance.now();
    return 0;
  }

  /** A generator was called: counted, not timed (its caller recorded in the callers round). */
  count(id: number): void {
    if (this.callers) this.edge(this.storage!.getStore() ?? NO_CALLER, id);
    else this.calls[id] += 1;
  }

  private edge(caller: number, id: number): void {
    let byCaller = this.edges.get(id);
    if (!byCaller) this.edges.set(id, (byCaller = new Map()));
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + 1);
  }

  /** Back to the caller's context (`t` from enter, > 0), while the callers round lasts. */
  private restore(t: number): void {
    if (this.callers) this.storage!.enterWith(t - 2);
  }

  /** A call ends (`t`: what enter returned). */
  exit(id: number, t = 0): void {
    if (t > 0) return this.restore(t);
    if (this.active[id]! <= 0) return;
    if (--this.active[id] === 0) this.total[id] += performance.now() - this.since[id]!;
  }

  /**
   * A call returned `value`: a native promise ends it when it settles, anything else now. Other
   * thenables end it now: calling their `then` again could run their work twice (query builders).
   */
  hand(value: unknown, id: number, t = 0): unknown {
    if (t > 0) {
      this.restore(t);
      return value;
    }
    if (value instanceof Promise) {
      const done = () => this.exit(id);
      value.then(done, done);
    } else this.exit(id);
    return value;
  }

  /**
   * Callers round: a function suspends at an `await` (`value`, what it awaits, evaluated): the
   * code that continues is its caller's.
   */
  away(value: unknown, t: number): unknown {
    this.restore(t);
    return value;
  }

  /**
   * Callers round: the iterable of a `for await` loop of the function whose enter gave `t`. The
   * loop steps through a delegate whose `next` (and `return`) puts the caller's context back
   * before the loop awaits the step (the function's body tells it resumed, see transform.ts).
   */
  loop(iterable: unknown, t: number): unknown {
    if (!this.callers) return iterable;
    const delegate = async function* () {
      yield* iterable as AsyncIterable<unknown>;
    };
    return {
      [Symbol.asyncIterator]: () => {
        const steps = delegate();
        return {
          next: (value?: unknown) => {
            const step = steps.next(value);
            this.restore(t);
            return step;
          },
          return: () => {
            const step = steps.return(undefined);
            this.restore(t);
            return step;
          },
        };
      },
    };
  }

  /** Callers round: function `id` resumes after an `await` (`value`: what the await gave). */
  back(value: unknown, id: number): unknown {
    if (this.callers) this.storage!.enterWith(id);
    return value;
  }

  /** Starts the callers round: from now, calls record their callers (and are not counted). */
  startCallers(): void {
    this.edges = new Map();
    // A storage of its own: contexts left on promises by an earlier round are not this one's.
    this.storage = new AsyncLocalStorage<number>();
    this.callers = true;
  }

  /**
   * Ends the callers round: what called what (calls in all). The storage is disabled, so the
   * passes after it run without async hooks.
   */
  stopCallers(): RecordedEdge[] {
    this.callers = false;
    this.storage?.disable();
    const key = (id: number): RecordedKey => ({
      name: this.names[id]!,
      file: this.files[id]!,
      line: this.lines[id]!,
    });
    const out: RecordedEdge[] = [];
    for (const [callee, byCaller] of this.edges)
      for (const [caller, calls] of byCaller)
        out.push({
          callee: key(callee),
          caller: caller === NO_CALLER ? undefined : key(caller),
          calls,
        });
    this.edges = new Map();
    return out;
  }

  /** Starts a new measurement: counts and times from zero; calls in flight are timed from now. */
  reset(): void {
    this.calls = this.calls.map(() => 0);
    this.total = this.total.map(() => 0);
    const now = performance.now();
    for (let id = 0; id < this.active.length; id += 1)
      if (this.active[id]! > 0) this.since[id] = now;
  }

  /** Every function called since the last reset; time in flight up to now included. */
  snapshot(): RecordedFunction[] {
    const now = performance.now();
    const out: RecordedFunction[] = [];
    for (let id = 0; id < this.names.length; id += 1) {
      if (this.calls[id] === 0) continue;
      const running = this.active[id]! > 0 ? now - this.since[id]! : 0;
      out.push({
        name: this.names[id]!,
        file: this.files[id]!,
        line: this.lines[id]!,
        calls: this.calls[id]!,
        inclusiveMs: this.total[id]! + running,
      });
    }
    return out;
  }

  /** Functions of instrumented modules (called or not). */
  get size(): number {
    return this.names.length;
  }
}

/** The child's recorder, created on first use; instrumented modules find it on globalThis. */
export function installRecorder(): ExactRecorder {
  const global = globalThis as Record<symbol, unknown>;
  const key = Symbol.for(RECORDER_KEY);
  const existing = global[key];
  if (existing instanceof ExactRecorder) return existing;
  const recorder = new ExactRecorder();
  global[key] = recorder;
  return recorder;
}

export function installedRecorder(): ExactRecorder | undefined {
  const existing = (globalThis as Record<symbol, unknown>)[Symbol.for(RECORDER_KEY)];
  return existing instanceof ExactRecorder ? existing : undefined;
}
