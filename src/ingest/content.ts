/** Small readers shared by the importers: JSON that may be of any format, plain records. Pure. */
import { InputError, messageOf } from '../model/errors.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse, or undefined when the text is not JSON (for detection). */
export function tryJson(text: string): unknown {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** JSON.parse for an importer: a file cut short (a crashed run) is said to be so. */
export function parseJsonOf(text: string, file: string, format: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const cut = /end of (JSON )?input|Unterminated/i.test(messageOf(error));
    throw new InputError(
      `malformed JSON (format ${format}: ${messageOf(error)})` +
        (cut ? '; the file ends early: did the benchmark run crash while writing it?' : ''),
      file,
    );
  }
}

export function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** What a file looks like, in a few words, for "expected X, found Y" errors. */
export function describeContent(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'an empty file';
  const data = tryJson(trimmed);
  if (Array.isArray(data)) {
    const first: unknown = data[0];
    return isRecord(first)
      ? `a JSON array of objects with keys ${keysOf(first)}`
      : `a JSON array of ${data.length} ${data.length === 1 ? 'value' : 'values'}`;
  }
  if (isRecord(data)) return `a JSON object with keys ${keysOf(data)}`;
  const line = trimmed.split('\n', 1)[0]!;
  return `text starting ${JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line)}`;
}

function keysOf(record: JsonRecord): string {
  const keys = Object.keys(record);
  const shown = keys.slice(0, 5).map((key) => JSON.stringify(key));
  return keys.length > 5 ? `${shown.join(', ')}, …` : shown.join(', ') || '(none)';
}
