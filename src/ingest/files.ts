/**
 * The I/O edge of src/ingest: result files (paths, globs, folders) read from disk, ingested into
 * a Run with this machine's meta. Everything else in src/ingest is pure.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { InputError } from '../model/errors.js';
import { readInputFile } from '../model/io.js';
import type { Meta } from '../model/run.js';
import { readEnv } from '../runner/env.js';
import { readGitMeta } from '../runner/git.js';
import { ingest, type IngestResult, type ResultFile } from './ingest.js';
import { withPytestSidecars } from './python/attach.js';
import { importerFor, RESULT_IMPORTERS, type FormatChoice } from './registry.js';

export interface IngestFilesOptions {
  /** Paths, globs (`results/*.json`) or folders (criterion's target/criterion), relative to cwd. */
  files: readonly string[];
  format: FormatChoice;
  cwd: string;
  /** Fields of meta to set instead of this checkout's (commit, ref, timestamp). */
  meta?: Partial<Omit<Meta, 'source' | 'env'>>;
  env?: NodeJS.ProcessEnv;
}

/** Reads the result files and ingests them into one Run. */
export async function ingestFiles(options: IngestFilesOptions): Promise<IngestResult> {
  const files = await readResultFiles(options.files, options.cwd, options.format);
  const git = await readGitMeta(options.cwd);
  const ingested = ingest(files, options.format, {
    ...git,
    timestamp: new Date().toISOString(),
    env: readEnv(process.version, options.env),
    ...options.meta,
  });
  // What perfgate's pytest plugin recorded next to pytest-benchmark files (docs/python.md).
  return withPytestSidecars(ingested, ingested.run.meta.source?.files ?? [], { cwd: options.cwd });
}

/** Expands the arguments (globs, folders) and reads each file; nothing matched is an error. */
export async function readResultFiles(
  args: readonly string[],
  cwd: string,
  format: FormatChoice,
): Promise<ResultFile[]> {
  const paths: string[] = [];
  for (const arg of args) {
    const matches = await expand(arg, cwd, format);
    if (matches.length === 0)
      throw new InputError(`no result files match ${JSON.stringify(arg)} (in ${cwd})`);
    paths.push(...matches);
  }
  const unique = [...new Set(paths)];
  return Promise.all(
    unique.map(async (file) => {
      const absolute = resolve(cwd, file);
      const text = (await readInputFile(absolute, RESULT_IMPORTERS.input)).toString('utf8');
      return { file, text, sibling: (name: string) => readSibling(absolute, name) };
    }),
  );
}

async function expand(arg: string, cwd: string, format: FormatChoice): Promise<string[]> {
  if (isDynamicPattern(arg)) {
    return (
      await glob(arg, { cwd, dot: false, onlyFiles: true, ignore: ['**/node_modules/**'] })
    ).sort();
  }
  const absolute = resolve(cwd, arg);
  const stat = statOrUndefined(absolute);
  if (!stat?.isDirectory()) return [arg];
  // A folder: criterion's target/criterion (the only format that is a tree of files).
  if (format !== 'auto' && format !== 'criterion') {
    throw new InputError(
      `is a folder; format ${format} reads files (give the file, or a glob)`,
      arg,
    );
  }
  const found = await glob(importerFor('criterion').folderGlob!, {
    cwd: absolute,
    onlyFiles: true,
  });
  if (found.length === 0) {
    throw new InputError(
      'is a folder with no criterion results (no **/new/estimates.json in it)',
      arg,
    );
  }
  return found.sort().map((file) => shownPath(join(absolute, file), cwd, arg));
}

function shownPath(absolute: string, cwd: string, arg: string): string {
  return isAbsolute(arg) ? absolute : relative(cwd, absolute);
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function readSibling(file: string, name: string): string | undefined {
  try {
    return readFileSync(join(dirname(file), name), 'utf8');
  } catch {
    return undefined;
  }
}

/** A Run written by perfgate (JSON with `tool: "perfgate"` or a schemaVersion), by its text. */
export function isPerfgateRun(text: string): boolean {
  const head = text.trimStart();
  if (!head.startsWith('{')) return false;
  try {
    const data = JSON.parse(head) as Record<string, unknown>;
    return (
      data.tool === 'perfgate' ||
      ('schemaVersion' in data && 'benchmarks' in data && 'meta' in data)
    );
  } catch {
    return false;
  }
}
