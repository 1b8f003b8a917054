import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyOverrides,
  loadConfig,
  loadConfigWithSource,
  resolveConfigFile,
} from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/schema.js';
import { InputError } from '../../src/model/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfgate-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function inputError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('loadConfig', () => {
  it('uses the defaults when there is no config file', async () => {
    const { config, file } = await loadConfigWithSource(dir);
    expect(file).toBeUndefined();
    expect(config).toEqual(defaultConfig());
    expect(config.threshold).toBe(0.1);
    expect(config.history).toBe(10);
    expect(config.baselineDir).toBe('.perfgate');
  });

  it('reads perfgate.config.json, parsing percent thresholds', async () => {
    await writeFile(
      join(dir, 'perfgate.config.json'),
      JSON.stringify({ threshold: '5%', thresholds: { 'db > *': 20 }, run: { time: 50 } }),
    );
    const config = await loadConfig(dir);
    expect(config.threshold).toBe(0.05);
    expect(config.thresholds).toEqual({ 'db > *': 0.2 });
    expect(config.run.time).toBe(50);
    expect(config.run.warmup).toBe(100); // nested defaults kept
  });

  it('reads an ES module config (.mjs), also a function', async () => {
    await writeFile(
      join(dir, 'perfgate.config.mjs'),
      'export default async () => ({ history: 3, failOn: ["time"] });',
    );
    const config = await loadConfig(dir);
    expect(config.history).toBe(3);
    expect(config.failOn).toEqual(['time']);
  });

  it('reads a .js config in a CommonJS package', async () => {
    await writeFile(join(dir, 'perfgate.config.js'), 'module.exports = { alpha: 0.05 };');
    expect((await loadConfig(dir)).alpha).toBe(0.05);
  });

  it('reads a TypeScript config with no build step, importing a sibling module', async () => {
    await writeFile(join(dir, 'package.json'), '{"type":"module"}');
    await writeFile(join(dir, 'shared.mjs'), 'export const dir = ".bench-store";');
    await writeFile(
      join(dir, 'perfgate.config.ts'),
      [
        "import { dir } from './shared.mjs';",
        'interface Partial { baselineDir: string; threshold: string }',
        "const config: Partial = { baselineDir: dir, threshold: '15%' };",
        'export default config satisfies Partial;',
      ].join('\n'),
    );
    const config = await loadConfig(dir);
    expect(config.baselineDir).toBe('.bench-store');
    expect(config.threshold).toBeCloseTo(0.15);
    // The temporary compiled file is gone.
    expect((await readdir(dir)).sort()).toEqual([
      'package.json',
      'perfgate.config.ts',
      'shared.mjs',
    ]);
  });

  it('loads --config FILE from another place', async () => {
    await writeFile(join(dir, 'custom.json'), '{"history": 4}');
    expect((await loadConfig(dir, 'custom.json')).history).toBe(4);
  });

  it('names the file and the invalid field', async () => {
    await writeFile(
      join(dir, 'perfgate.config.json'),
      JSON.stringify({ threshold: 'ten', run: { time: -1 } }),
    );
    const error = await inputError(loadConfig(dir));
    expect(error.message).toContain(join(dir, 'perfgate.config.json'));
    expect(error.message).toContain('threshold');
    expect(error.message).toContain('run.time');
  });

  it('rejects unknown (misspelt) fields, also nested ones', async () => {
    await writeFile(
      join(dir, 'perfgate.config.json'),
      JSON.stringify({ treshold: 5, run: { tme: 10 }, thresholds: { anything: 3 } }),
    );
    const error = await inputError(loadConfig(dir));
    expect(error.message).toContain('unknown fields treshold, run.tme');
  });

  it('reports malformed JSON, a missing --config file and a throwing JS config', async () => {
    await writeFile(join(dir, 'perfgate.config.json'), '{ "history": ');
    expect((await inputError(loadConfig(dir))).message).toMatch(
      /perfgate\.config\.json: malformed JSON/,
    );
    expect((await inputError(loadConfig(dir, 'nope.json'))).message).toBe(
      'nope.json: config file not found',
    );
    await writeFile(join(dir, 'bad.mjs'), 'throw new Error("boom");');
    expect((await inputError(loadConfig(dir, 'bad.mjs'))).message).toMatch(
      /bad\.mjs: could not load config: boom/,
    );
    await writeFile(join(dir, 'bad.ts'), 'export default { history: 2 as };');
    expect((await inputError(loadConfig(dir, 'bad.ts'))).message).toContain('bad.ts');
  });

  it('refuses two config files in one folder', async () => {
    await writeFile(join(dir, 'perfgate.config.json'), '{}');
    await writeFile(join(dir, 'perfgate.config.mjs'), 'export default {}');
    expect(() => resolveConfigFile(dir)).toThrow(/perfgate\.config\.json, perfgate\.config\.mjs/);
  });

  it('lets flags override config values', async () => {
    const config = applyOverrides(defaultConfig(), { threshold: 0.25, failOn: undefined });
    expect(config.threshold).toBe(0.25);
    expect(config.failOn).toEqual(defaultConfig().failOn);
  });
});
