/**
 * The recorder that instrumented project modules (exact/transform.ts) report to, in the bench
 * child: exact call counts and async-inclusive time per function. Counting is on only while the
 * exact-calls pass runs; off, instrumented code never calls in here.
 *
 * Inclusive time is the time during which at least one call of the function is in flight (from
 * call to return, or to the settling of the promise it returned): recursion and concurrent calls
 * (500 awaited lookups in a Promise.all) are counted once each but their time is not added twice.
 */
import { RECORDER_KEY } from './transform.js';

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

  /** A call starts (returns anything but -1: the call must be ended). */
  enter(id: number): number {
    this.calls[id] += 1;
    if (this.active[id]++ === 0) this.since[id] = performance.now();
    return 0;
  }

  /** A generator was called: counted, not timed. */
  count(id: number): void {
    this.calls[id] += 1;
  }

  exit(id: number): void {
    if (this.active[id]! <= 0) return;
    if (--this.active[id] === 0) this.total[id] += performance.now() - this.since[id]!;
  }

  /**
   * A call returned `value`: a native promise ends it when it settles, anything else now. Other
   * thenables end it now: calling their `then` again could run their work twice (query builders).
   */
  hand(value: unknown, id: number): unknown {
    if (value instanceof Promise) {
      const done = () => this.exit(id);
      value.then(done, done);
    } else this.exit(id);
    return value;
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
