// `npm run bench [name…]`: perfgate benchmarking itself. Each bench/<name>.ts is bundled and run
// in its own `node --expose-gc` process; each writes its results to docs/benchmarks/<name>.md.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const wanted = process.argv.slice(2);
const names = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();
if (names.length === 0) {
  console.error(`bench: nothing to run (have: ${readdirSync(join(root, 'bench')).join(', ')})`);
  process.exit(2);
}
// Bundles live inside the project so that their external imports resolve from node_modules.
const cache = join(root, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const temp = mkdtempSync(join(cache, 'perfgate-bench-'));
let failed = 0;
try {
  for (const name of names) {
    const outfile = join(temp, `${name}.mjs`);
    await build({
      absWorkingDir: root,
      entryPoints: [join(root, 'bench', `${name}.ts`)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    console.log(`\n== bench/${name}.ts`);
    const result = spawnSync(process.execPath, ['--expose-gc', outfile], {
      cwd: root,
      stdio: 'inherit',
    });
    if (result.status !== 0) {
      failed += 1;
      console.error(`bench/${name}.ts failed (exit ${result.status})`);
    }
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
process.exit(failed > 0 ? 1 : 0);
