import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { InputError, messageOf } from './errors.js';
import { READABLE_SCHEMA_VERSIONS, runSchema, SCHEMA_VERSION, type Run } from './run.js';

/** Reads a file, turning "not found" and friends into an InputError that names it. */
export async function readInputFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError('file not found', file);
    if (code === 'EISDIR') throw new InputError('is a directory, expected a file', file);
    throw new InputError(messageOf(error), file);
  }
}

/** JSON.parse with an error that names the file. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`malformed JSON (${messageOf(error)})`, file);
  }
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
  return validate(runSchema, data, file, 'perfgate Run');
}

export async function readRun(file: string): Promise<Run> {
  return parseRun((await readInputFile(file)).toString('utf8'), file);
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
