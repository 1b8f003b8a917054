/**
 * Field-by-field checks of decoded foreign data (JSON profiles, exports): every refusal is an
 * InputError naming the file, the field path (`nodes[3].callFrame.url`) and what was expected,
 * e.g. `app.cpuprofile: not a valid V8 .cpuprofile: nodes[3].callFrame.url: expected a string,
 * got 42`. Loops only (profiles hold millions of samples), no recursion.
 */
import { InputError } from './errors.js';

export class FieldCheck {
  constructor(
    readonly file: string,
    /** What the file should be: "V8 .cpuprofile", "speedscope file", … */
    readonly what: string,
  ) {}

  fail(path: string, expected: string, value: unknown): never {
    throw new InputError(
      `not a valid ${this.what}: ${path || '(root)'}: expected ${expected}, got ${describe(value)}`,
      this.file,
    );
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(path, 'an object', value);
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'an array', value);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, 'a string', value);
    return value;
  }

  number(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value))
      this.fail(path, 'a finite number', value);
    return value;
  }

  integer(value: unknown, path: string): number {
    if (!Number.isSafeInteger(value)) this.fail(path, 'an integer', value);
    return value as number;
  }

  /** Absent: undefined or null (JSON writers such as py-spy write `null`). */
  optionalString(value: unknown, path: string): string | undefined {
    return value === undefined || value === null ? undefined : this.string(value, path);
  }

  /** Absent: undefined or null (JSON writers such as py-spy write `null`). */
  optionalNumber(value: unknown, path: string): number | undefined {
    return value === undefined || value === null ? undefined : this.number(value, path);
  }

  /** Absent: undefined or null (JSON writers such as py-spy write `null`). */
  optionalInteger(value: unknown, path: string): number | undefined {
    return value === undefined || value === null ? undefined : this.integer(value, path);
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
    if (!allowed.includes(value as T))
      this.fail(path, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value);
    return value as T;
  }

  /** An array of finite numbers (checked element by element). */
  numbers(value: unknown, path: string): ArrayLike<number> {
    if (value instanceof Float64Array || value instanceof Int32Array) return value;
    const list = this.array(value, path);
    for (let i = 0; i < list.length; i += 1) {
      const item = list[i];
      if (typeof item !== 'number' || !Number.isFinite(item))
        this.fail(`${path}[${i}]`, 'a finite number', item);
    }
    return list as number[];
  }

  /** An array of integers (ids, indices). */
  integers(value: unknown, path: string): ArrayLike<number> {
    if (value instanceof Int32Array || value instanceof Uint32Array) return value;
    const list = this.array(value, path);
    for (let i = 0; i < list.length; i += 1)
      if (!Number.isSafeInteger(list[i])) this.fail(`${path}[${i}]`, 'an integer', list[i]);
    return list as number[];
  }
}

/** A short description of a value for an error message: `42`, `"abc"`, `an object`, `null`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const text = JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
    return `the string ${text}`;
  }
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}
