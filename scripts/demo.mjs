// `npm run demo`: perfgate catches an N+1 query regression in examples/users-api.
//
// The two folders stand for two checkouts of one repository: `main/` (GET /users with one JOIN)
// and `pull-request/` (the same handler "refactored" to query each user's details: 1 + 500
// queries). Like a user would, the demo builds the CLI, benchmarks main and saves it as the
// baseline, then benchmarks the pull request, compares, and prints the markdown report that
// would be posted on the pull request. It exits 0 when perfgate caught the regression.
//
// Options (for the test suite): `--quick` uses short measurement times; `--store DIR` keeps the
// baseline, runs and report in DIR instead of examples/users-api/.perfgate.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, store: { type: 'string' } },
});
const root = new URL('..', import.meta.url).pathname;
const example = join(root, 'examples', 'users-api');
const mainDir = join(example, 'main');
const prDir = join(example, 'pull-request');
const store = options.store ? resolve(options.store) : join(example, '.perfgate');
const cli = join(root, 'dist', 'cli.js');
const started = Date.now();

const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text);
const fromRoot = (path) => relative(root, path) || '.';

function step(title) {
  console.log(`\n${bold(`== ${title}`)}`);
}

function fail(message) {
  console.error(`\ndemo: ${message}`);
  process.exit(1);
}

/** Runs the built CLI like a user in a shell would; stderr (progress) goes to the terminal. */
function perfgate(cwd, args, { capture = false } = {}) {
  console.log(bold(`$ cd ${fromRoot(cwd)} && perfgate ${args.join(' ')}`));
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: result.stdout ?? '' };
}

step('Build the CLI');
// The CLI's files only: the action's bundle (dist/index.js) is most of a full build's time.
console.log(bold('$ npm run build -- --cli'));
if (
  spawnSync(process.execPath, ['scripts/build.mjs', '--cli'], { cwd: root, stdio: 'inherit' })
    .status
) {
  fail('the build failed');
}

// A fresh baseline folder, so the story does not depend on earlier runs.
rmSync(store, { recursive: true, force: true });
mkdirSync(store, { recursive: true });
// Both folders' perfgate.config.json share `baselineDir: "../.perfgate"`; another store or
// shorter times need a config of our own, passed to every command.
const configArgs = [];
if (options.quick || options.store) {
  const config = JSON.parse(readFileSync(join(mainDir, 'perfgate.config.json'), 'utf8'));
  config.baselineDir = store;
  if (options.quick) {
    // Fewer processes too: every fork and every confirmation run starts PGlite again.
    Object.assign(config, {
      run: { time: 150, warmup: 30, minSamples: 8, forks: 3 },
      confirm: { forks: 3 },
      profile: { duration: 150 },
      queries: { iterations: 1 },
      memory: { rounds: 3 },
    });
  }
  const file = join(store, 'demo.config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  configArgs.push('--config', file);
}
const mainRunPath = join(store, 'runs', 'main.json');
const mainRunRelative = relative(mainDir, mainRunPath);
const mainRun = mainRunRelative.length < mainRunPath.length ? mainRunRelative : mainRunPath;

step('main branch: benchmark GET /users (one JOIN) and keep it as the baseline');
// Both folders are one checkout (one commit, one branch): --ref names the side each stands for.
if (perfgate(mainDir, ['run', '--out', mainRun, '--ref', 'main', ...configArgs]).code !== 0) {
  fail('benchmarking main failed (see above)');
}
if (perfgate(mainDir, ['baseline', 'save', mainRun, ...configArgs]).code !== 0) {
  fail('saving the baseline failed (see above)');
}

step("pull request: GET /users now loads each user's details separately (N+1)");
console.log(`(the whole change: diff -ru ${fromRoot(mainDir)} ${fromRoot(prDir)})`);
const pr = perfgate(prDir, ['--format', 'markdown', '--ref', 'pull-request', ...configArgs], {
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
if (pr.code !== 1 || comparison.verdict !== 'fail' || comparison.reasons.length === 0) {
  fail(`expected a failing check, got exit ${pr.code} and verdict ${comparison.verdict}`);
}
console.log('perfgate failed the check because:');
for (const reason of comparison.reasons) console.log(`  - ${reason}`);
console.log(`perfgate exited with code ${pr.code}: in CI the pull request's check fails.`);
console.log(
  `report: ${fromRoot(join(store, 'report.md'))}, comparison: ${fromRoot(join(store, 'comparison.json'))}`,
);
console.log(`demo finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
