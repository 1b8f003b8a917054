/**
 * Fast path for large V8 `.cpuprofile` files: the `samples` and `timeDeltas` arrays (most of a
 * long profile) are read as numbers straight from the bytes into typed arrays; only the rest
 * goes through JSON.parse. Returns undefined whenever the file is not laid out as expected,
 * and the caller falls back to JSON.parse of the whole file.
 */
import type { V8Profile } from './v8.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Below this size JSON.parse of the whole file is as fast. */
export const FAST_PATH_MIN_BYTES = 8 * 1024 * 1024;

/** Byte ranges [start, end) of the values of the top-level object's keys. */
function topLevelValues(bytes: Uint8Array): Map<string, [number, number]> | undefined {
  const values = new Map<string, [number, number]>();
  let i = 0;
  const n = bytes.length;
  const skipSpace = () => {
    while (
      i < n &&
      (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
    )
      i += 1;
  };
  skipSpace();
  if (bytes[i] !== 0x7b) return undefined; // {
  i += 1;
  for (;;) {
    skipSpace();
    if (bytes[i] === 0x7d) return values; // }
    if (bytes[i] !== QUOTE) return undefined;
    const keyStart = i + 1;
    i = keyStart;
    while (i < n && bytes[i] !== QUOTE) {
      if (bytes[i] === BACKSLASH) return undefined; // escaped keys: not a profile we know
      i += 1;
    }
    const key = Buffer.from(bytes.buffer, bytes.byteOffset + keyStart, i - keyStart).toString(
      'latin1',
    );
    i += 1;
    skipSpace();
    if (bytes[i] !== COLON) return undefined;
    i += 1;
    skipSpace();
    const start = i;
    // Skip the value: strings (with escapes) and nesting.
    let depth = 0;
    for (; i < n; i += 1) {
      const b = bytes[i];
      if (b === QUOTE) {
        i += 1;
        while (i < n && bytes[i] !== QUOTE) i += bytes[i] === BACKSLASH ? 2 : 1;
      } else if (b === 0x5b || b === 0x7b) depth += 1;
      else if (b === 0x5d || b === 0x7d) {
        if (depth === 0) break;
        depth -= 1;
      } else if (b === COMMA && depth === 0) break;
    }
    if (i >= n) return undefined;
    let end = i;
    while (
      end > start &&
      (bytes[end - 1] === 0x20 ||
        bytes[end - 1] === 0x0a ||
        bytes[end - 1] === 0x0d ||
        bytes[end - 1] === 0x09)
    )
      end -= 1;
    values.set(key, [start, end]);
    if (bytes[i] === COMMA) i += 1;
  }
}

/** A JSON array of plain numbers → Float64Array; undefined for anything else. */
function numberArray(bytes: Uint8Array, start: number, end: number): Float64Array | undefined {
  if (bytes[start] !== 0x5b || bytes[end - 1] !== 0x5d) return undefined;
  let count = 0;
  let any = false;
  for (let i = start + 1; i < end - 1; i += 1) {
    if (bytes[i] === COMMA) count += 1;
    else if (bytes[i] > 0x20) any = true;
  }
  const out = new Float64Array(any ? count + 1 : 0);
  let k = 0;
  let i = start + 1;
  const last = end - 1;
  while (i < last && k < out.length) {
    while (i < last && bytes[i] <= 0x20) i += 1;
    let negative = false;
    if (bytes[i] === 0x2d) {
      negative = true;
      i += 1;
    }
    let value = 0;
    const digitsStart = i;
    while (i < last && bytes[i] >= 0x30 && bytes[i] <= 0x39) {
      value = value * 10 + (bytes[i] - 0x30);
      i += 1;
    }
    if (i === digitsStart) return undefined;
    if (bytes[i] === 0x2e || bytes[i] === 0x65 || bytes[i] === 0x45) {
      // Fractions/exponents are rare in profiles: let Number() do them.
      const from = negative ? digitsStart - 1 : digitsStart;
      while (i < last && bytes[i] !== COMMA && bytes[i] > 0x20) i += 1;
      value = Number(
        Buffer.from(bytes.buffer, bytes.byteOffset + from, i - from).toString('latin1'),
      );
      if (!Number.isFinite(value)) return undefined;
      out[k++] = value;
    } else out[k++] = negative ? -value : value;
    while (i < last && bytes[i] <= 0x20) i += 1;
    if (i < last) {
      if (bytes[i] !== COMMA) return undefined;
      i += 1;
    }
  }
  return k === out.length ? out : undefined;
}

/** The profile, with `samples`/`timeDeltas` as typed arrays; undefined when not applicable. */
export function parseV8Fast(
  bytes: Uint8Array,
  minBytes = FAST_PATH_MIN_BYTES,
): V8Profile | undefined {
  if (bytes.length < minBytes) return undefined;
  const values = topLevelValues(bytes);
  const samplesAt = values?.get('samples');
  const deltasAt = values?.get('timeDeltas');
  if (!values || !values.has('nodes') || !samplesAt || !deltasAt) return undefined;
  const samples = numberArray(bytes, ...samplesAt);
  const timeDeltas = numberArray(bytes, ...deltasAt);
  if (!samples || !timeDeltas) return undefined;
  const rest: Record<string, unknown> = {};
  for (const [key, [start, end]] of values) {
    if (key === 'samples' || key === 'timeDeltas') continue;
    rest[key] = JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8'),
    );
  }
  return { ...(rest as unknown as V8Profile), samples, timeDeltas };
}
