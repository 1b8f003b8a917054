// The long fuzz run: every importer over mutants of the real fixtures (__tests__/fuzz/fuzz.test.ts
// runs a bounded number in `npm test`). `npm run fuzz -- 5000` sets the runs per fixture;
// PERFGATE_FUZZ_SEED picks another seed.
import { spawnSync } from 'node:child_process';

const runs = process.argv[2] ?? '2000';
const result = spawnSync('npx', ['vitest', 'run', '__tests__/fuzz/fuzz.test.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PERFGATE_FUZZ_RUNS: runs,
    PERFGATE_FUZZ_SEED: process.env.PERFGATE_FUZZ_SEED ?? String(Date.now() % 1e9),
  },
});
process.exit(result.status ?? 1);
