// Bundles the entries into dist/ reproducibly (same input → same bytes): `npm run build`.
// Files are replaced atomically, so a bench child started during a rebuild never reads half a file.
import { build } from 'esbuild';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const outdir = join(root, 'dist');

const result = await build({
  absWorkingDir: root,
  entryPoints: {
    index: 'src/main.ts',
    cli: 'src/cli.ts',
    child: 'src/runner/child.ts',
    'ts-loader': 'src/runner/ts-loader.ts',
  },
  outdir,
  write: false,
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

await mkdir(outdir, { recursive: true });
const written = new Set();
for (const file of result.outputFiles) {
  const temp = `${file.path}.${process.pid}.tmp`;
  await writeFile(temp, file.contents, { mode: basename(file.path) === 'cli.js' ? 0o755 : 0o644 });
  await rename(temp, file.path);
  written.add(basename(file.path));
}
for (const name of await readdir(outdir)) {
  if (!written.has(name) && !name.endsWith('.tmp'))
    await rm(join(outdir, name), { recursive: true });
}
