import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { InputError } from '../../src/model/errors.js';
import { discoverBenchFiles } from '../../src/runner/discover.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'perfgate-discover-'));
  const files = [
    'b.bench.ts',
    'a.bench.js',
    'src/z/deep.bench.mts',
    'src/util.ts',
    'legacy/old.bench.js',
    'node_modules/pkg/dep.bench.js',
    'packages/x/node_modules/y/dep.bench.ts',
    'dist/built.bench.js',
    '.perfgate/x.bench.js',
    'notes.bench.md',
  ];
  for (const file of files) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), 'export default 1;\n');
  }
  // Suites written for tinybench alone, in the usual folders, named freely; their helpers do
  // not import tinybench.
  const layouts: Record<string, string> = {
    'benchmark/parse.mjs': "import { Bench } from 'tinybench'\n",
    'benchmark/data.mjs': 'export const urls = []\n',
    'benchmarks/run.ts': "import { Bench } from 'tinybench';\n",
    'packages/x/bench/suite.js': "const { Bench } = require('tinybench');\n",
    'bench/node_modules/t/index.js': "import 'tinybench';\n",
    'src/bench.js': "import { Bench } from 'tinybench';\n",
  };
  for (const [file, text] of Object.entries(layouts)) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), text);
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('discoverBenchFiles', () => {
  it('finds bench files by the default globs, without node_modules/dist/.perfgate, sorted', async () => {
    const found = await discoverBenchFiles(root, defaultConfig());
    expect(found.map((f) => f.relative)).toEqual([
      'a.bench.js',
      'b.bench.ts',
      'benchmark/parse.mjs',
      'benchmarks/run.ts',
      'legacy/old.bench.js',
      'packages/x/bench/suite.js',
      'src/z/deep.bench.mts',
    ]);
    expect(found[0].path).toBe(join(root, 'a.bench.js'));
  });

  it('takes an explicit include at its word: no layout folders then', async () => {
    const found = await discoverBenchFiles(root, { include: ['*.bench.ts'], exclude: [] });
    expect(found.map((f) => f.relative)).toEqual(['b.bench.ts']);
  });

  it('applies exclude globs, always leaves node_modules out, and skips dot folders', async () => {
    const found = await discoverBenchFiles(root, {
      include: ['**/*.bench.*'],
      exclude: ['legacy/**', '**/*.md'],
    });
    expect(found.map((f) => f.relative)).toEqual([
      'a.bench.js',
      'b.bench.ts',
      'dist/built.bench.js',
      'src/z/deep.bench.mts',
    ]);
  });

  it('names the globs and the folder when nothing matches', async () => {
    const error = await discoverBenchFiles(root, {
      include: ['bench/**/*.bench.ts'],
      exclude: [],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('no bench files match bench/**/*.bench.ts');
    expect((error as Error).message).toContain(root);
    expect((error as Error).message).toContain('set `include` in the perfgate config');
  });

  it('names the default globs and the layout folders it searched in an empty project', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'perfgate-discover-empty-'));
    try {
      await mkdir(join(empty, 'benchmark'));
      await writeFile(join(empty, 'benchmark', 'helper.mjs'), 'export const x = 1;\n');
      const error = await discoverBenchFiles(empty, defaultConfig()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      const message = (error as Error).message;
      expect(message).toContain('**/*.bench.{ts,mts,js,mjs}');
      expect(message).toContain(
        '**/{bench,benchmark,benchmarks}/**/*.{ts,mts,js,mjs} (modules importing tinybench)',
      );
      expect(message).toContain('`include`');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('takes explicit files as given (relative to cwd), once each', async () => {
    const found = await discoverBenchFiles(root, defaultConfig(), [
      'src/z/deep.bench.mts',
      join(root, 'a.bench.js'),
      './src/z/deep.bench.mts',
    ]);
    expect(found.map((f) => f.relative)).toEqual(['src/z/deep.bench.mts', 'a.bench.js']);
  });

  it('takes an explicit empty list as no files (a shard with nothing to run)', async () => {
    expect(await discoverBenchFiles(root, defaultConfig(), [])).toEqual([]);
  });

  it('reports an explicit file that does not exist, or is a folder', async () => {
    await expect(discoverBenchFiles(root, defaultConfig(), ['missing.bench.ts'])).rejects.toThrow(
      /missing\.bench\.ts: bench file not found/,
    );
    await expect(discoverBenchFiles(root, defaultConfig(), ['src'])).rejects.toThrow(InputError);
  });

  it('reports a project folder that does not exist', async () => {
    await expect(discoverBenchFiles(join(root, 'nope'), defaultConfig())).rejects.toThrow(
      /project folder not found/,
    );
  });
});
