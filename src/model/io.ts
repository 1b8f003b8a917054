import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { InputError, messageOf } from './errors.js';
import { READABLE_SCHEMA_VERSIONS, runSchemaOf, SCHEMA_VERSION, type Run } from './run.js';

/**
 * Largest input perfgate reads, per kind, in bytes (docs/reliability.md). Checked with stat()
 * before reading, so a huge file is refused by name instead of exhausting memory; a gzip file
 * may also inflate to at most the same limit. 256 MiB is far above real inputs (a Run of 1,000
 * benchmarks with profiles is a few MB; a busy Postgres log of 125,000 statements is ~26 MB) and
 * well below the ~512 MiB where V8 cannot hold a file as one string.
 */
export const INPUT_LIMITS = {
  run: 256 * 1024 * 1024,
  profile: 256 * 1024 * 1024,
  queries: 256 * 1024 * 1024,
  memory: 256 * 1024 * 1024,
  results: 256 * 1024 * 1024,
} as const;
export type InputKind = keyof typeof INPUT_LIMITS;

/**
 * Longest string V8 can make (0x1fffffe8 UTF-16 units, ~512 MiB): a file read whole as text must
 * stay below it, or it fails with "Cannot create a string longer than …", naming no file.
 */
export const MAX_TEXT_BYTES = 0x1fffffe8;

/**
 * The limit of a kind: INPUT_LIMITS, or `PERFGATE_MAX_INPUT_MB` (every kind) when set, never
 * above MAX_TEXT_BYTES.
 */
export function inputLimit(kind: InputKind, env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.PERFGATE_MAX_INPUT_MB);
  const limit = Number.isFinite(mb) && mb > 0 ? Math.floor(mb * 1024 * 1024) : INPUT_LIMITS[kind];
  return Math.min(limit, MAX_TEXT_BYTES);
}

export function formatLimit(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${bytes} bytes`;
}

/** The error of a failed read or stat, as an InputError naming the file. */
export function inputErrorOf(error: unknown, file: string): InputError {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError('file not found', file);
  if (code === 'EISDIR') return new InputError('is a directory, expected a file', file);
  return new InputError(messageOf(error), file);
}

/** Refuses, by name, a file larger than the limit of its kind (before anything is read). */
export async function checkInputSize(file: string, kind: InputKind): Promise<void> {
  const limit = inputLimit(kind);
  try {
    const info = await stat(file);
    if (info.isFile() && info.size > limit) {
      throw new InputError(
        `is ${formatLimit(info.size)}, larger than the ${formatLimit(limit)} perfgate reads as ${kind} input`,
        file,
      );
    }
  } catch (error) {
    throw inputErrorOf(error, file);
  }
}

/**
 * Reads a file, turning "not found" and friends into an InputError that names it. Files larger
 * than the limit of their kind are refused before reading.
 */
export async function readInputFile(file: string, kind: InputKind = 'run'): Promise<Buffer> {
  await checkInputSize(file, kind);
  try {
    return await readFile(file);
  } catch (error) {
    throw inputErrorOf(error, file);
  }
}

/** Text of an input file: UTF-8 without a byte-order mark, line ends as `\n` (CRLF accepted). */
export function decodeText(bytes: Uint8Array): string {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text;
}

/** Deeper than this, JSON is refused: no real input nests so deep, and recursion over it would not survive. */
export const MAX_JSON_DEPTH = 1000;

/** Nesting depth of a parsed JSON value, walked without recursion; stops once past `limit`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/** JSON.parse with an error that names the file; nesting deeper than MAX_JSON_DEPTH is refused. */
export function parseJson(text: string, file: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`malformed JSON (${messageOf(error)})`, file);
  }
  if (jsonDepth(data) > MAX_JSON_DEPTH) {
    throw new InputError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, file);
  }
  return data;
}

/** One line per schema problem, with the JSON path: `benchmarks.0.stats.n: expected number`. */
export function describeIssues(error: z.ZodError, limit = 5): string {
  const lines = error.issues.slice(0, limit).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  if (error.issues.length > limit) lines.push(`… and ${error.issues.length - limit} more`);
  return lines.join('; ');
}

/** Validates data against a schema; the error names the file and the bad fields. */
export function validate<S extends z.ZodType>(
  schema: S,
  data: unknown,
  file: string,
  what: string,
): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success)
    throw new InputError(`not a valid ${what}: ${describeIssues(result.error)}`, file);
  return result.data;
}

/** Parses and validates a Run document (text of a perfgate Run JSON file). */
export function parseRun(text: string, file: string): Run {
  const data = parseJson(text, file);
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const record = data as Record<string, unknown>;
    if (record.tool !== undefined && record.tool !== 'perfgate') {
      throw new InputError(`not a perfgate Run (tool is ${JSON.stringify(record.tool)})`, file);
    }
    const version = record.schemaVersion;
    if (
      typeof version === 'number' &&
      !(READABLE_SCHEMA_VERSIONS as readonly number[]).includes(version)
    ) {
      throw new InputError(
        `unsupported schemaVersion ${version} (this perfgate reads versions ${READABLE_SCHEMA_VERSIONS.join(' and ')}; ` +
          (version > SCHEMA_VERSION ? 'upgrade perfgate' : 're-create the file') +
          ')',
        file,
      );
    }
  }
  return validate(runSchemaOf(), data, file, 'perfgate Run');
}

export async function readRun(file: string): Promise<Run> {
  return parseRun(decodeText(await readInputFile(file, 'run')), file);
}

/**
 * Writes a file so that readers see either the old or the new content, never half of it:
 * write a temporary sibling, then rename over the target.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export function serializeRun(run: Run): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}

export async function writeRun(file: string, run: Run): Promise<void> {
  await writeFileAtomic(file, serializeRun(run));
}
