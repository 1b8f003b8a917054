// `npm run demo:python`: perfgate catches an N+1 in a Flask + SQLAlchemy API (examples/python-users-api).
//
// `main/` serves GET /api/users (500 users with details) with `joinedload` (one query);
// `pull-request/` "refactors" it to call get_user_details(user.id) per user (1 + 500 queries).
// Like a user would, the demo builds the CLI, runs pytest-benchmark on main through
// `perfgate run --command … --results …` (perfgate enables its pytest plugin, which adds cProfile
// call counts, the SQL statements and tracemalloc), saves it as the baseline, then does the same
// on the pull request and prints the comment perfgate would post. It exits 0 when perfgate caught
// the regression.
//
// Python: PERFGATE_PYTHON, else the first of python3, /usr/bin/python3 that has pytest-benchmark,
// Flask and Flask-SQLAlchemy (Debian: apt-get install python3-pytest-benchmark python3-flask
// python3-flask-sqlalchemy). Options: `--quick` uses short measurement times; `--store DIR` keeps
// the baseline, runs and report in DIR instead of examples/python-users-api/.perfgate.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, store: { type: 'string' } },
});
const root = new URL('..', import.meta.url).pathname;
const example = join(root, 'examples', 'python-users-api');
const mainDir = join(example, 'main');
const prDir = join(example, 'pull-request');
const store = options.store ? resolve(options.store) : join(example, '.perfgate');
const cli = join(root, 'dist', 'cli.js');
const started = Date.now();

const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text);
const fromRoot = (path) => relative(root, path) || '.';
const quote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

function step(title) {
  console.log(`\n${bold(`== ${title}`)}`);
}

function fail(message) {
  console.error(`\ndemo: ${message}`);
  process.exit(1);
}

function findPython() {
  const candidates = process.env.PERFGATE_PYTHON
    ? [process.env.PERFGATE_PYTHON]
    : ['python3', '/usr/bin/python3'];
  const probe = 'import pytest, pytest_benchmark, flask, flask_sqlalchemy';
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['-c', probe], { stdio: 'ignore' }).status === 0) return candidate;
  }
  fail(
    `no Python with pytest-benchmark, Flask and Flask-SQLAlchemy among ${candidates.join(', ')}: ` +
      'apt-get install python3-pytest-benchmark python3-flask python3-flask-sqlalchemy, or set PERFGATE_PYTHON',
  );
}

// Shorter passes keep the story under two minutes on a busy machine; the numbers that tell it
// (1 → 501 queries, 500 calls) are counts and do not depend on them.
const pluginEnv = options.quick
  ? { PERFGATE_PROFILE_TIME: '0.01', PERFGATE_MEMORY_ROUNDS: '3' }
  : { PERFGATE_PROFILE_TIME: '0.2', PERFGATE_MEMORY_ROUNDS: '5' };

/** Runs the built CLI like a user in a shell would; stderr (progress) goes to the terminal. */
function perfgate(cwd, args, { capture = false } = {}) {
  console.log(bold(`$ cd ${fromRoot(cwd)} && perfgate ${args.map(quote).join(' ')}`));
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...pluginEnv },
  });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: result.stdout ?? '' };
}

const python = findPython();

step('Build the CLI');
console.log(bold('$ npm run build'));
if (spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' }).status) {
  fail('the build failed');
}

rmSync(store, { recursive: true, force: true });
mkdirSync(join(store, 'pytest'), { recursive: true });
const configArgs = [];
if (options.store) {
  const config = JSON.parse(readFileSync(join(mainDir, 'perfgate.config.json'), 'utf8'));
  config.baselineDir = store;
  const file = join(store, 'demo.config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  configArgs.push('--config', file);
}
const shortPath = (from, path) => {
  const rel = relative(from, path);
  return rel.length < path.length ? rel : path;
};
const timing = options.quick
  ? ['--benchmark-max-time=0.2', '--benchmark-min-rounds=3', '--benchmark-warmup=off']
  : ['--benchmark-max-time=0.5', '--benchmark-min-rounds=5'];

/** `perfgate run`'s flags for pytest-benchmark in `dir`, results written to `name`.json. */
function pytestArgs(dir, name) {
  const results = shortPath(dir, join(store, 'pytest', `${name}.json`));
  const command = [python, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...timing]
    .concat(`--benchmark-json=${results}`)
    .join(' ');
  // The results format (pytest-benchmark JSON) is detected from the file's content.
  return ['--command', command, '--results', results];
}

const mainRun = shortPath(mainDir, join(store, 'runs', 'main.json'));

step('main branch: benchmark GET /api/users (joinedload: one query) and keep it as the baseline');
if (
  perfgate(mainDir, ['run', ...pytestArgs(mainDir, 'main'), '--out', mainRun, ...configArgs]).code
) {
  fail('benchmarking main failed (see above)');
}
if (perfgate(mainDir, ['baseline', 'save', mainRun, ...configArgs]).code !== 0) {
  fail('saving the baseline failed (see above)');
}

step('pull request: GET /api/users now calls get_user_details() for each user (N+1)');
console.log(`(the whole change: diff -ru ${fromRoot(mainDir)} ${fromRoot(prDir)})`);
const pr = perfgate(
  prDir,
  [...pytestArgs(prDir, 'pull-request'), '--format', 'markdown', ...configArgs],
  {
    capture: true,
  },
);

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
