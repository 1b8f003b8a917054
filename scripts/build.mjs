// Bundles the entries into dist/ reproducibly (same input → same bytes): `npm run build`.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: {
    index: 'src/main.ts',
    cli: 'src/cli.ts',
    child: 'src/runner/child.ts',
    'ts-loader': 'src/runner/ts-loader.ts',
  },
  outdir: 'dist',
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
