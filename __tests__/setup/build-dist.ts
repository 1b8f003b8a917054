import { execFileSync } from 'node:child_process';

/** Builds dist/ once per test run: bench children and the action e2e tests run the bundle. */
export default function setup(): void {
  if (process.env.PERFGATE_SKIP_BUILD) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
