// Bundles the entries into dist/ reproducibly (same input → same bytes): `npm run build`.
// Files are replaced atomically, so a bench child started during a rebuild never reads half a file.
// `--cli`: only what the CLI runs (cli.js and the bench child's files), not the action's
// dist/index.js, which is most of the build's time (`npm run demo` uses it).
import { build } from 'esbuild';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const outdir = join(root, 'dist');
const cliOnly = process.argv.includes('--cli');

const cliEntries = {
  cli: 'src/cli.ts',
  child: 'src/runner/child.ts',
  'child-passes': 'src/runner/child-passes.ts',
  'ts-loader': 'src/runner/ts-loader.ts',
  'exact-loader': 'src/profile/exact/loader.ts',
};
const result = await build({
  absWorkingDir: root,
  entryPoints: cliOnly ? cliEntries : { index: 'src/main.ts', ...cliEntries },
  outdir,
  write: false,
  // No code splitting: each entry is one file, and the passes find perfgate's own frames and
  // siblings (child.js, ts-loader.js) from import.meta.url, which chunks would move.
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'warning',
  define: { __PERFGATE_VERSION__: JSON.stringify(pkg.version) },
  // Some CommonJS dependencies call require() for Node built-ins; ESM output needs a real one.
  banner: {
    js: "import { createRequire as __perfgateCreateRequire } from 'node:module'; const require = __perfgateCreateRequire(import.meta.url);",
  },
});

const written = new Set();
for (const file of result.outputFiles) {
  await mkdir(dirname(file.path), { recursive: true });
  const temp = `${file.path}.${process.pid}.tmp`;
  await writeFile(temp, file.contents, { mode: basename(file.path) === 'cli.js' ? 0o755 : 0o644 });
  await rename(temp, file.path);
  written.add(relative(outdir, file.path));
}
// Files of entries no longer built go (a partial build keeps the others).
for (const entry of cliOnly
  ? []
  : await readdir(outdir, { recursive: true, withFileTypes: true })) {
  const path = join(entry.parentPath, entry.name);
  if (entry.isFile() && !written.has(relative(outdir, path)) && !entry.name.endsWith('.tmp')) {
    await rm(path);
  }
}
