// `npm run eval:findings [-- --fresh] [-- --only profiles|leaks] [-- --runs N]`: bundles the
// evaluation (eval/findings/) and its helpers, runs it; it writes its tables into docs/.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Bundles live inside node_modules so that their external imports resolve; the recordings are
// cached in .perfgate/eval-findings/ (git-ignored; delete it or pass --fresh to record again).
const bundles = mkdtempSync(join(root, 'node_modules', '.cache-perfgate-eval-'));
const cache = join(root, '.perfgate', 'eval-findings');
mkdirSync(cache, { recursive: true });
const entries = {
  main: 'eval/findings/main.ts',
  'v8-capture': 'eval/findings/v8-capture.ts',
  'memory-driver': '__tests__/memory/driver.ts',
};
for (const [name, entry] of Object.entries(entries))
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, entry)],
    outfile: join(bundles, `${name}.mjs`),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
let status = 1;
try {
  status =
    spawnSync(
      process.execPath,
      [join(bundles, 'main.mjs'), root, cache, bundles, ...process.argv.slice(2)],
      { cwd: root, stdio: 'inherit' },
    ).status ?? 1;
} finally {
  rmSync(bundles, { recursive: true, force: true });
}
process.exit(status);
