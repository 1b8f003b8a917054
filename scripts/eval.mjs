// `npm run eval [-- --quick | --synthetic]`: bundles eval/timing/index.ts with esbuild and runs
// it from the repository root (it uses the built CLI, dist/cli.js: run `npm run build` first).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Inside the project, so that the bundle's external imports resolve from node_modules.
const cache = join(root, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const temp = mkdtempSync(join(cache, 'perfgate-eval-'));
let status = 1;
try {
  const outfile = join(temp, 'eval.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'eval/timing/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  status =
    spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], {
      cwd: root,
      stdio: 'inherit',
    }).status ?? 1;
} finally {
  rmSync(temp, { recursive: true, force: true });
}
process.exit(status);
