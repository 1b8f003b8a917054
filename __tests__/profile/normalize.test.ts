import { describe, expect, it } from 'vitest';
import { normalizePath } from '../../src/text/paths.js';

describe('normalizePath', () => {
  const root = '/home/runner/work/app/app';
  it.each([
    ['file:///home/runner/work/app/app/src/db.js', 'src/db.js'],
    ['/home/runner/work/app/app/src/db.js', 'src/db.js'],
    ['file:///Users/me/code/app/src/my%20file.js', '/Users/me/code/app/src/my file.js'],
    // pnpm, npm, yarn and npx version folders: the same function on every machine and version
    [
      'file:///home/runner/work/app/app/node_modules/.pnpm/pg@8.11.3/node_modules/pg/lib/client.js',
      'node_modules/pg/lib/client.js',
    ],
    [
      '/home/me/app/node_modules/.pnpm/@scope+pkg@1.2.3_react@18.2.0/node_modules/@scope/pkg/index.js',
      'node_modules/@scope/pkg/index.js',
    ],
    ['/root/.npm/_npx/6b3c0c8a9f/node_modules/tsx/dist/cli.mjs', 'node_modules/tsx/dist/cli.mjs'],
    [
      '/app/.yarn/cache/lodash-npm-4.17.21-6382451519-eb835a2e51.zip/node_modules/lodash/lodash.js',
      'node_modules/lodash/lodash.js',
    ],
    [
      '/home/runner/go/pkg/mod/github.com/acme/csv@v1.4.2/reader.go',
      'github.com/acme/csv/reader.go',
    ],
    // bundler content hashes
    ['/home/runner/work/app/app/dist/chunk-3f2a9c.js', 'dist/chunk-[hash].js'],
    ['/home/runner/work/app/app/build/main.3f2a9c1b.js', 'build/main.[hash].js'],
    ['http://localhost:5173/assets/index-BxQ12abC.js', '/assets/index-[hash].js'],
    [
      '/app/node_modules/@electric-sql/pglite/dist/chunk-EP7TJL7B.js',
      'node_modules/@electric-sql/pglite/dist/chunk-[hash].js',
    ],
    ['/home/runner/work/app/app/src/api-V2CLIENT.js', 'src/api-V2CLIENT.js'],
    ['/home/runner/work/app/app/src/user-profile.js', 'src/user-profile.js'],
    ['/home/runner/work/app/app/src/index-Database.js', 'src/index-Database.js'],
    ['webpack://app/./src/x.js', 'src/x.js'],
    // WebAssembly (PGlite's Postgres): kept as a wasm URL, not taken for a file at the root
    ['wasm://wasm/022aac12', 'wasm://wasm/022aac12'],
    ['node:internal/modules/cjs/loader', 'node:internal/modules/cjs/loader'],
    ['C:\\work\\app\\src\\x.js', 'C:/work/app/src/x.js'],
    ['', ''],
  ])('%s → %s', (raw, expected) => {
    expect(normalizePath(raw, root)).toBe(expected);
  });
  it('strips a Windows checkout prefix', () => {
    expect(normalizePath('C:\\work\\app\\src\\x.js', 'C:\\work\\app')).toBe('src/x.js');
  });
  it('strips query strings (Vite ?v=…)', () => {
    expect(normalizePath('file:///home/runner/work/app/app/src/a.ts?v=123', root)).toBe('src/a.ts');
  });
});
