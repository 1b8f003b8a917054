import { existsSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'sucrase';
import type { z } from 'zod';
import { InputError, messageOf } from '../model/errors.js';
import { parseJson, decodeText, readInputFile, validate } from '../model/io.js';
import { configSchema, type Config } from './schema.js';

/** Looked up in this order in the project folder when no `--config FILE` is given. */
export const CONFIG_FILE_NAMES = [
  'perfgate.config.json',
  'perfgate.config.js',
  'perfgate.config.mjs',
  'perfgate.config.ts',
  'perfgate.config.mts',
] as const;

/**
 * The config file to use: `file` (resolved against cwd; must exist) or the one
 * `perfgate.config.*` in cwd. Two candidates in one folder is ambiguous: an error, not a guess.
 */
export function resolveConfigFile(cwd: string, file?: string): string | undefined {
  if (file !== undefined) {
    const path = resolve(cwd, file);
    if (!existsSync(path)) throw new InputError('config file not found', file);
    if (statSync(path).isDirectory())
      throw new InputError('is a directory, expected a config file', file);
    return path;
  }
  const found = CONFIG_FILE_NAMES.map((name) => join(cwd, name)).filter((path) => existsSync(path));
  if (found.length > 1) {
    throw new InputError(
      `more than one config file: ${found.map((path) => basename(path)).join(', ')}; keep one or pass --config FILE`,
      cwd,
    );
  }
  return found[0];
}

/**
 * Loads and validates the project's config (`perfgate.config.{json,js,mjs,ts,mts}`), or the
 * defaults when there is none. Problems throw an InputError naming the file and the fields.
 */
export async function loadConfig(cwd: string, file?: string): Promise<Config> {
  return (await loadConfigWithSource(cwd, file)).config;
}

/** Like loadConfig, also telling which file was read (undefined: defaults). */
export async function loadConfigWithSource(
  cwd: string,
  file?: string,
): Promise<{ config: Config; file?: string }> {
  const path = resolveConfigFile(cwd, file);
  if (path === undefined) return { config: configSchema.parse({}) };
  const raw = await readConfigData(path);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputError('a config must be an object (the default export of a JS/TS config)', path);
  }
  const unknown = unknownKeys(configSchema, raw);
  if (unknown.length > 0) {
    throw new InputError(
      `not a valid perfgate config: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      path,
    );
  }
  return { config: validate(configSchema, raw, path, 'perfgate config'), file: path };
}

async function readConfigData(path: string): Promise<unknown> {
  const ext = extname(path);
  if (ext === '.json') return parseJson(decodeText(await readInputFile(path)), path);
  if (ext === '.ts' || ext === '.mts') return importTypeScript(path);
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return importModule(path, path);
  throw new InputError(`unsupported config file type "${ext}" (use .json, .js, .mjs or .ts)`, path);
}

/** Imports a JS config; its default export is the config, or a (async) function returning it. */
async function importModule(modulePath: string, shownAs: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(`${pathToFileURL(modulePath).href}?t=${Date.now()}`)) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw new InputError(`could not load config: ${messageOf(error)}`, shownAs);
  }
  let value = 'default' in mod ? mod.default : undefined;
  if (value === undefined) throw new InputError('config has no default export', shownAs);
  try {
    if (typeof value === 'function') value = await (value as () => unknown)();
  } catch (error) {
    throw new InputError(`config function threw: ${messageOf(error)}`, shownAs);
  }
  return value;
}

/**
 * TypeScript configs load with no build step. From the bundle (dist/cli.js), the runner's module
 * hooks (dist/ts-loader.js, sucrase) are registered, so the config may import other `.ts` files
 * the way TypeScript projects write them. Otherwise (unbundled, e.g. in tests) sucrase strips
 * the types into a temporary sibling `.mjs` (a sibling, so relative imports and the project's
 * node_modules resolve as written), imported and removed at once.
 */
async function importTypeScript(path: string): Promise<unknown> {
  if (registerTsLoader()) return importModule(path, path);
  const source = (await readInputFile(path)).toString('utf8');
  let code: string;
  try {
    code = transform(source, { transforms: ['typescript'], filePath: path }).code;
  } catch (error) {
    throw new InputError(`could not compile TypeScript config: ${messageOf(error)}`, path);
  }
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${randomBytes(3).toString('hex')}.mjs`,
  );
  await writeFile(temp, code);
  try {
    return await importModule(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}

let tsLoaderRegistered = false;

/** Registers dist/ts-loader.js when it sits next to this (bundled) module; false when absent. */
function registerTsLoader(): boolean {
  if (tsLoaderRegistered) return true;
  const loader = new URL('./ts-loader.js', import.meta.url);
  if (typeof register !== 'function' || !existsSync(fileURLToPath(loader))) return false;
  register(loader);
  tsLoaderRegistered = true;
  return true;
}

/** Field paths present in `data` that the schema does not know (typos would otherwise be ignored). */
export function unknownKeys(schema: z.ZodType, data: unknown, prefix = ''): string[] {
  const shape = objectShape(schema);
  if (!shape || typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    const field = shape[key];
    if (field === undefined) found.push(`${prefix}${key}`);
    else found.push(...unknownKeys(field, value, `${prefix}${key}.`));
  }
  return found;
}

/** The shape of an object schema, looking through default/prefault/optional wrappers. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const def = (current as { def?: { type?: string; innerType?: unknown; shape?: unknown } }).def;
    if (!def) return undefined;
    if (def.type === 'object') return def.shape as Record<string, z.ZodType>;
    if (['default', 'prefault', 'optional', 'nullable'].includes(def.type ?? '')) {
      current = def.innerType;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** Flag values that override the config (CLI flags, action inputs); undefined keeps the config's. */
export interface ConfigOverrides {
  threshold?: number;
  failOn?: Config['failOn'];
  baselineDir?: string;
  history?: number;
  node?: string;
}

export function applyOverrides(config: Config, overrides: ConfigOverrides): Config {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as Partial<Config>;
  return { ...config, ...defined };
}
