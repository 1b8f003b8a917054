// What a bench child loads: a timed fork loads dist/child.js and no kind code (dist/child-passes.js,
// with zod, acorn and the passes), nor the TypeScript hooks (sucrase, dist/ts-loader.js) unless the
// bench file is TypeScript; only the fork of the instrumented passes loads the kinds. Recorded by
// module hooks that every child runs with (config `node`: a wrapper that adds `--import`): each
// URL resolved or loaded (the TypeScript hooks, registered later, answer the .ts loads first).
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenchmarks } from '../../src/runner/index.js';
import { FIXTURES, testConfig } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'perfgate-child-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const logs = join(dir, 'logs');
writeFileSync(
  join(dir, 'hooks.mjs'),
  `import { appendFileSync, mkdirSync } from 'node:fs';
let file;
export function initialize({ logs }) {
  mkdirSync(logs, { recursive: true });
  file = logs + '/' + process.pid + '.log';
}
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(file, resolved.url + '\\n');
  return resolved;
}
export async function load(url, context, nextLoad) {
  appendFileSync(file, url + '\\n');
  return nextLoad(url, context);
}
`,
);
writeFileSync(
  join(dir, 'record.mjs'),
  `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)}, { data: { logs: ${JSON.stringify(logs)} } });
`,
);
const node = join(dir, 'node');
writeFileSync(
  node,
  `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --import ${JSON.stringify(pathToFileURL(join(dir, 'record.mjs')).href)} "$@"\n`,
);
chmodSync(node, 0o755);

/** Per child process: the bench file it ran and the files of perfgate's dist/ it loaded. */
function children(): Array<{ bench: string; dist: string[] }> {
  return readdirSync(logs).map((name) => {
    const urls = readFileSync(join(logs, name), 'utf8').trim().split('\n');
    const bench = urls.find((u) => /\.bench\.[jt]s$/.test(u)) ?? '';
    const dist = urls.flatMap((u) => {
      const match = /\/dist\/([^/]+\.js)$/.exec(u);
      return match && !u.includes('/node_modules/') ? [match[1]!] : [];
    });
    return { bench: bench.slice(bench.lastIndexOf('/') + 1), dist: [...new Set(dist)].sort() };
  });
}

describe('the modules a bench child loads', () => {
  it(
    'a timed fork loads no kind code, and the TypeScript hooks only for a TypeScript file',
    { timeout: 120_000 },
    async () => {
      rmSync(logs, { recursive: true, force: true });
      // The exact-calls kind prepares the process, so its pass gets a fork of its own.
      const config = testConfig({
        node,
        calls: { enabled: true },
        run: { time: 20, warmup: 5, minSamples: 3, forks: 2 },
      });
      const { failures } = await runBenchmarks({
        cwd: FIXTURES,
        config,
        files: ['js/basic.bench.js', 'ts/math.bench.ts'],
        outDir: join(dir, 'out'),
      });
      expect(failures).toEqual([]);
      const all = children();
      const js = all.filter((c) => c.bench === 'basic.bench.js');
      const ts = all.filter((c) => c.bench === 'math.bench.ts');
      expect([js.length, ts.length, all.length]).toEqual([3, 3, 6]);
      const timed = (list: typeof all) => list.filter((c) => !c.dist.includes('child-passes.js'));
      const passes = (list: typeof all) => list.filter((c) => c.dist.includes('child-passes.js'));
      // Two timed forks per file: the child alone, and the TypeScript hooks for the .ts file.
      expect(timed(js).map((c) => c.dist)).toEqual([['child.js'], ['child.js']]);
      expect(timed(ts).map((c) => c.dist)).toEqual([
        ['child.js', 'ts-loader.js'],
        ['child.js', 'ts-loader.js'],
      ]);
      // One fork per file for the passes: the kinds' code and the exact-calls module hooks.
      expect(passes(js).map((c) => c.dist)).toEqual([
        ['child-passes.js', 'child.js', 'exact-loader.js'],
      ]);
      expect(passes(ts).map((c) => c.dist)).toEqual([
        ['child-passes.js', 'child.js', 'exact-loader.js', 'ts-loader.js'],
      ]);
    },
  );
});
