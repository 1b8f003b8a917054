/**
 * The one place instrumented drivers report to. Recording is off except during the queries
 * pass: a patched driver method pays one property check (`recorder.on`) outside it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { SqlDialect } from './sql-tokenizer.js';

export interface RecordedEvent {
  kind: 'sql' | 'http';
  driver: string;
  /** SQL text (may hold several statements) or `METHOD url`. */
  text: string;
  dialect?: SqlDialect;
  method?: string;
  url?: string;
  iteration: number;
  /**
   * V8 stacks of the call and of its entry point, captured but not formatted: formatting costs
   * tens of µs and happens after the pass (`stackText`).
   */
  stacks?: StackHolder[];
  /** Duration in ms, set when the driver reports completion. */
  timeMs?: number;
  /** Set when the request failed before a response (refused, reset, DNS): HTTP only. */
  failed?: boolean;
  /** Bound parameters, kept for EXPLAIN. */
  values?: unknown[];
  /** Runs a statement on the same connection (Postgres drivers), for EXPLAIN after the pass. */
  run?: (sql: string, values?: unknown[]) => Promise<unknown>;
}

export interface Recorder {
  /** True only while the queries pass runs an operation. */
  on: boolean;
  iteration: number;
  events: RecordedEvent[];
  /** Synchronous fs calls per iteration index. */
  syncFs: number[];
  /** Stacks captured so far per statement text / URL (see STACKS_PER_TEXT). */
  stackCounts: Map<string, number>;
}

export const recorder: Recorder = {
  on: false,
  iteration: 0,
  events: [],
  syncFs: [],
  stackCounts: new Map(),
};

/**
 * A loop runs the same text from the same line: a few stacks per text find the call site, and
 * the 500th capture (≈20 µs each) would add nothing.
 */
export const STACKS_PER_TEXT = 20;

/** The call's stacks, while the budget of its text lasts. */
function sampledStacks(text: string): StackHolder[] | undefined {
  const seen = recorder.stackCounts.get(text) ?? 0;
  if (seen >= STACKS_PER_TEXT) return undefined;
  recorder.stackCounts.set(text, seen + 1);
  return callStack();
}

/**
 * Stack captured at an entry point whose work continues after an async hop (pool.query,
 * fetch, http.request), where the stack no longer shows the caller. It is appended to the
 * stack of the recorded call, so the call site is the first user frame of either.
 */
export const entryStack = new AsyncLocalStorage<StackHolder>();

/** Wraps an entry point so that calls made on its behalf know who called it. */
export function withEntryStack(original: (...args: unknown[]) => unknown) {
  return function (this: unknown, ...args: unknown[]) {
    if (!recorder.on || entryStack.getStore() !== undefined) return original.apply(this, args);
    return entryStack.run(captureStack(), () => original.apply(this, args));
  };
}

/** The stack of the current call followed by the entry point's. */
export function callStack(): StackHolder[] {
  const entry = entryStack.getStore();
  const stack = captureStack();
  return entry ? [stack, entry] : [stack];
}

/** An object whose `stack` V8 formats on first read. */
export interface StackHolder {
  stack?: string;
}

export function captureStack(): StackHolder {
  const holder: StackHolder = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40; // enough to get past driver and framework frames
  Error.captureStackTrace(holder, captureStack);
  Error.stackTraceLimit = limit;
  return holder;
}

/** The formatted stack(s) of a recorded call. */
export function stackText(event: RecordedEvent): string {
  return (event.stacks ?? []).map((holder) => holder.stack ?? '').join('\n');
}

/** Records one SQL call; returns a function to call on completion (sets the duration). */
export function recordSql(
  driver: string,
  text: string,
  dialect: SqlDialect,
  extra?: Pick<RecordedEvent, 'values' | 'run'>,
): () => void {
  const event: RecordedEvent = {
    kind: 'sql',
    driver,
    text,
    dialect,
    iteration: recorder.iteration,
    stacks: sampledStacks(text),
    ...extra,
  };
  recorder.events.push(event);
  const start = performance.now();
  return () => {
    if (event.timeMs === undefined) event.timeMs = performance.now() - start;
  };
}

export function recordHttp(driver: string, method: string, url: string): RecordedEvent {
  const stacks = sampledStacks(`${method} ${url}`);
  const event: RecordedEvent = {
    kind: 'http',
    driver,
    text: `${method} ${url}`,
    method,
    url,
    iteration: recorder.iteration,
    ...(stacks ? { stacks } : {}),
  };
  recorder.events.push(event);
  return event;
}

/** Calls `done` when a promise-like, event emitter or plain value completes; returns `value`. */
export function onSettled<T>(value: T, done: () => void): T {
  const candidate = value as { then?: unknown; once?: unknown };
  // Emitters first: mysql2's Query command has a `then` that throws on purpose.
  if (candidate && typeof candidate.once === 'function') {
    const emitter = value as unknown as NodeJS.EventEmitter;
    emitter.once('end', done);
    emitter.once('error', done);
  } else if (candidate && typeof candidate.then === 'function') {
    (value as PromiseLike<unknown>).then(done, done);
  } else done();
  return value;
}
