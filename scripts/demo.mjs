// `npm run demo`: perfgate catches an N+1 query regression in examples/users-api.
//
// The two folders stand for two checkouts of one repository: `main/` (GET /users with one JOIN)
// and `pull-request/` (the same handler "refactored" to query each user's details: 1 + 500
// queries). Like a user would, the demo builds the CLI, benchmarks main and saves it as the
// baseline, then benchmarks the pull request, compares, and prints the markdown report that
// would be posted on the pull request. It exits 0 when perfgate caught the regression.
//
// `node scripts/demo.mjs --quick` uses short measurement times (for the test suite).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const example = join(root, 'examples', 'users-api');
const store = join(example, '.perfgate');
const cli = join(root, 'dist', 'cli.js');
const quick = process.argv.includes('--quick');
const started = Date.now();

const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text);
const rel = (path) => relative(root, path);

function step(title) {
  console.log(`\n${bold(`== ${title}`)}`);
}

/** Runs the built CLI like a user in a shell would; stderr (progress) goes to the terminal. */
function perfgate(cwd, args, { capture = false } = {}) {
  console.log(bold(`$ cd ${rel(cwd)} && perfgate ${args.join(' ')}`));
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: result.stdout ?? '' };
}

function fail(message) {
  console.error(`\ndemo: ${message}`);
  process.exit(1);
}

step('Build the CLI');
console.log(bold('$ npm run build'));
if (
  spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0
) {
  fail('the build failed');
}

// A fresh baseline folder, so the story does not depend on earlier runs.
rmSync(store, { recursive: true, force: true });
mkdirSync(store, { recursive: true });
const configArgs = [];
if (quick) {
  const config = join(store, 'quick.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      baselineDir: '../.perfgate',
      run: { time: 150, warmup: 30, minSamples: 5 },
      profile: { duration: 150 },
      queries: { iterations: 1 },
      memory: { rounds: 3 },
    }),
  );
  configArgs.push('--config', relative(join(example, 'main'), config));
}

step('main branch: benchmark GET /users (one JOIN) and keep it as the baseline');
const mainDir = join(example, 'main');
if (perfgate(mainDir, ['run', '--out', '../.perfgate/runs/main.json', ...configArgs]).code !== 0)
  fail('benchmarking main failed (see above)');
if (
  perfgate(mainDir, ['baseline', 'save', '../.perfgate/runs/main.json', ...configArgs]).code !== 0
)
  fail('saving the baseline failed (see above)');

step("pull request: GET /users now loads each user's details separately (N+1)");
console.log(`(the whole change: diff -ru examples/users-api/main examples/users-api/pull-request)`);
const pr = perfgate(join(example, 'pull-request'), ['--format', 'markdown', ...configArgs], {
  capture: true,
});

step('The report perfgate would post on the pull request');
console.log(pr.stdout.trimEnd());

step('Verdict');
if (pr.code === 2) fail('perfgate could not benchmark the pull request (exit 2, see above)');
let comparison;
try {
  comparison = JSON.parse(readFileSync(join(store, 'comparison.json'), 'utf8'));
} catch (error) {
  fail(`no comparison was written: ${error.message}`);
}
const regressions = comparison.benchmarks.filter((b) => b.status === 'regression');
const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (pr.code !== 1 || comparison.verdict !== 'fail' || regressions.length === 0) {
  fail(
    `expected a failing check with a regression, got exit ${pr.code}, verdict ${comparison.verdict}`,
  );
}
for (const b of regressions) {
  const change = b.time.change === null ? '' : ` (${(b.time.change * 100).toFixed(0)}% slower)`;
  console.log(`regression: ${b.id}${change}`);
}
console.log(
  `perfgate exited with code ${pr.code}: in CI this check fails and the pull request is flagged.`,
);
console.log(
  `report: ${rel(join(store, 'report.md'))}, comparison: ${rel(join(store, 'comparison.json'))}`,
);
console.log(`demo finished in ${seconds} s`);
