// Which bench files a run covers: explicit files, or the config's globs under the project root.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { defaultConfig, type Config } from '../config/schema.js';
import { InputError } from '../model/errors.js';

export interface BenchFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the project root, POSIX separators (the first part of benchmark ids). */
  relative: string;
}

export function toRelativePosix(cwd: string, file: string): string {
  return relative(cwd, file).split(sep).join('/');
}

/**
 * Where suites written for tinybench alone usually live (fastify's `benchmark/*.mjs`, …): with
 * the default `include`, modules there that import tinybench are bench files too, whatever
 * their names. Helpers in those folders (data, setup) do not import tinybench and are left out.
 */
export const LAYOUT_GLOBS = ['**/{bench,benchmark,benchmarks}/**/*.{ts,mts,js,mjs}'];
const IMPORTS_TINYBENCH = /(?:from\s*|import\s*\(?\s*|require\s*\(\s*)['"]tinybench['"]/;

async function importsTinybench(path: string): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return IMPORTS_TINYBENCH.test(text);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Deterministic order, independent of the locale: plain code-unit comparison. */
function byRelativePath(a: BenchFile, b: BenchFile): number {
  return a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0;
}

export async function discoverBenchFiles(
  cwd: string,
  config: Pick<Config, 'include' | 'exclude'>,
  files?: readonly string[],
): Promise<BenchFile[]> {
  // An explicit list is taken as is, even empty (a shard of a split suite may get no file).
  if (files !== undefined) {
    const found: BenchFile[] = [];
    for (const file of files) {
      const path = isAbsolute(file) ? file : resolve(cwd, file);
      const info = await stat(path).catch(() => undefined);
      if (!info) throw new InputError('bench file not found', file);
      if (!info.isFile()) throw new InputError('is not a file (expected a bench file)', file);
      found.push({ path, relative: toRelativePosix(cwd, path) });
    }
    // Explicit files keep the caller's order; the same file twice runs once.
    return found.filter((f, i) => found.findIndex((g) => g.path === f.path) === i);
  }
  const info = await stat(cwd).catch(() => undefined);
  if (!info?.isDirectory()) throw new InputError('project folder not found', cwd);
  const options = {
    cwd,
    ignore: [...config.exclude, '**/node_modules/**'],
    onlyFiles: true,
    absolute: false,
    expandDirectories: false,
  };
  const matches = await glob([...config.include], options);
  // An explicit `include` is taken at its word; the default one also finds the usual layouts.
  const layouts = sameList(config.include, defaultConfig().include) ? LAYOUT_GLOBS : [];
  for (const match of layouts.length > 0 ? await glob(layouts, options) : []) {
    if (!matches.includes(match) && (await importsTinybench(resolve(cwd, match))))
      matches.push(match);
  }
  if (matches.length === 0) {
    const searched = [
      ...config.include,
      ...layouts.map((g) => `${g} (modules importing tinybench)`),
    ];
    throw new InputError(
      `no bench files match ${searched.join(', ')}` +
        (config.exclude.length > 0 ? ` (excluding ${config.exclude.join(', ')})` : '') +
        ` in ${cwd}; set \`include\` in the perfgate config to the globs of your bench files` +
        ` (e.g. include: ['perf/**/*.mjs'])`,
    );
  }
  return matches
    .map((match) => {
      const path = resolve(cwd, match);
      return { path, relative: toRelativePosix(cwd, path) };
    })
    .sort(byRelativePath);
}
