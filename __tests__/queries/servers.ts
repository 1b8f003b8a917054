/**
 * Real database servers for the tests, each on a free loopback port in a temp data dir, stopped
 * by the test. Debian packages (installed by .ci/services); a test is skipped with a message
 * only when the binaries are missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  port: number;
  dir: string;
  stop(): Promise<void>;
}

const which = (name: string, dirs: string[]) =>
  dirs.map((dir) => join(dir, name)).find((file) => existsSync(file));

export const mariadbBinary = which('mariadbd', ['/usr/sbin', '/usr/bin', '/usr/local/bin']);
export const mariadbInstall = which('mariadb-install-db', ['/usr/bin', '/usr/local/bin']);

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** MariaDB with grant checks off (any user, no password), database `perfgate`. */
export async function startMariaDb(): Promise<RunningServer> {
  if (!mariadbBinary || !mariadbInstall) throw new Error('mariadb-server is not installed');
  // mariadbd refuses root unless told; as another user it runs as that user.
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const dir = mkdtempSync(join(tmpdir(), 'perfgate-mariadb-'));
  const data = join(dir, 'data');
  const install = spawnSync(
    mariadbInstall,
    [
      '--no-defaults',
      `--datadir=${data}`,
      ...asRoot,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { encoding: 'utf8' },
  );
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);
  const port = await freePort();
  const child = spawn(
    mariadbBinary,
    [
      '--no-defaults',
      ...asRoot,
      `--datadir=${data}`,
      `--socket=${join(dir, 'sock')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-grant-tables',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=16M',
      `--log-error=${join(dir, 'error.log')}`,
      `--pid-file=${join(dir, 'pid')}`,
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const log = existsSync(join(dir, 'error.log'))
      ? readFileSync(join(dir, 'error.log'), 'utf8')
      : '';
    if (log.includes('ready for connections')) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`mariadbd did not start:\n${log.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    dir,
    async stop() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

export const postgresBin = postgresBinDir();

/** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid <= 0) {
    throw new Error('running as root and there is no postgres user to run PostgreSQL as');
  }
  return { uid, gid };
}

/** A real PostgreSQL (trust auth, user postgres) with pg_stat_statements loaded. */
export async function startPostgres(): Promise<RunningServer> {
  if (!postgresBin) throw new Error('postgresql is not installed');
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'perfgate-postgres-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const initdb = spawnSync(
    join(postgresBin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync'],
    { encoding: 'utf8', ...user },
  );
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr}`);
  const port = await freePort();
  const child = spawn(
    join(postgresBin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], ...user },
  );
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!log.includes('ready to accept connections')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`postgres did not start:\n${log.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    dir,
    async stop() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
