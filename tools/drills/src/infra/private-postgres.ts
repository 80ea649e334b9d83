import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { PrivatePostgres } from '../ports';
import { onExit } from './exit-hooks';
import { freePort } from '../../../shared/loopback';

/**
 * Who runs the PostgreSQL binaries. initdb and postgres refuse to run as root ("cannot be run as
 * root"), and drills often run as root (containers, CI). So when `id -u` is 0 every binary is run
 * as the `postgres` OS user instead: through `runuser -u postgres --` (util-linux: no password,
 * no PAM prompt, keeps our environment) or, where runuser is missing, `su postgres -s /bin/sh -c`
 * with the command quoted. The cluster's temporary directory is then chowned to that user (mkdtemp
 * makes it 0700 and root's, which postgres could not even enter), and we check that the user can
 * actually write it: a TMPDIR below a directory only root may traverse (e.g. /root/tmp) would
 * otherwise fail later with an obscure initdb error. Not root: the binaries run as ourselves.
 */
interface RunAs {
  readonly wrap: (bin: string, args: readonly string[]) => { file: string; args: string[] };
  readonly chown: (path: string) => void;
  readonly description: string;
}

function runAs(): RunAs {
  const uid = Number(execFileSync('id', ['-u'], { encoding: 'utf8' }).trim());
  if (uid !== 0)
    return { wrap: (file, args) => ({ file, args: [...args] }), chown: () => undefined, description: `uid ${uid}` };
  let pgUid: number;
  let pgGid: number;
  try {
    pgUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    pgGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error('Running as root, and there is no "postgres" OS user to run initdb/postgres as (they refuse root)');
  }
  const hasRunuser = spawnSync('sh', ['-c', 'command -v runuser'], { stdio: 'ignore' }).status === 0;
  const wrap = hasRunuser
    ? (file: string, args: readonly string[]) => ({ file: 'runuser', args: ['-u', 'postgres', '--', file, ...args] })
    : (file: string, args: readonly string[]) => ({
        file: 'su',
        args: ['postgres', '-s', '/bin/sh', '-c', [file, ...args].map(shellQuote).join(' ')],
      });
  return {
    wrap,
    chown: (path) => chownSync(path, pgUid, pgGid),
    description: `as the postgres OS user via ${hasRunuser ? 'runuser' : 'su'}`,
  };
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The server binaries' directory, from `pg_config --bindir` (the PostgreSQL on PATH). */
function pgBinDir(): string {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch (error) {
    throw new Error(`pg_config --bindir failed (is PostgreSQL's pg_config on PATH?): ${(error as Error).message}`);
  }
}

interface Ran {
  readonly code: number | null;
  readonly output: string;
}

function run(file: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: pgEnv() });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** No PG* variables of the caller (PGDATA, PGPORT…) leak into pg_ctl; C locale, whatever ours is. */
function pgEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PG')) env[key] = value;
  return { ...env, LANG: 'C', LC_ALL: 'C' };
}

function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export interface PrivatePostgresHandle extends PrivatePostgres {
  readonly dataDir: string;
}

/**
 * initdb into a fresh temporary directory, pg_ctl start on a free loopback port (socket in the same
 * directory, trust auth, fsync on, 200 connections), then CREATE DATABASE `database`.
 */
export async function startPrivatePostgres(
  options: { readonly database?: string } = {},
): Promise<PrivatePostgresHandle> {
  const database = options.database ?? 'accord_drill';
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`database name "${database}" must be [a-z0-9_]`);
  const bin = pgBinDir();
  const as = runAs();
  const baseDir = mkdtempSync(join(tmpdir(), 'accord-drill-pg-'));
  const dataDir = join(baseDir, 'data');
  const logFile = join(baseDir, 'postgres.log');
  let destroyed = false;

  const pgCtl = async (args: readonly string[], what: string, timeoutMs = 90_000) => {
    const command = as.wrap(join(bin, 'pg_ctl'), ['-D', dataDir, ...args]);
    const result = await run(command.file, command.args, baseDir, timeoutMs);
    if (result.code !== 0)
      throw new Error(
        `pg_ctl ${what} failed (${result.code}): ${result.output.trim()}\n--- postgres.log ---\n${tail(logFile)}`,
      );
  };

  // Sync, for the exit hook: immediate shutdown (SIGQUIT to the postmaster), then remove the dir.
  const killSync = () => {
    const pidFile = join(dataDir, 'postmaster.pid');
    if (existsSync(pidFile)) {
      const command = as.wrap(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', '-t', '10', 'stop']);
      const result = spawnSync(command.file, command.args, { cwd: baseDir, stdio: 'ignore', timeout: 15_000 });
      if (result.status !== 0) {
        const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
        if (pid > 0) {
          try {
            process.kill(pid, 'SIGQUIT');
          } catch {
            // already gone
          }
        }
      }
    }
    rmSync(baseDir, { recursive: true, force: true });
  };
  const unregister = onExit(killSync);

  try {
    as.chown(baseDir);
    const probe = as.wrap('test', ['-w', baseDir]);
    if (spawnSync(probe.file, probe.args, { stdio: 'ignore' }).status !== 0)
      throw new Error(
        `${baseDir} is not writable ${as.description}: set TMPDIR to a directory it can reach (e.g. /tmp)`,
      );

    const initdb = as.wrap(join(bin, 'initdb'), [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-locale',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    const init = await run(initdb.file, initdb.args, baseDir, 120_000);
    if (init.code !== 0) throw new Error(`initdb failed (${init.code}) ${as.description}: ${init.output.trim()}`);

    const port = await freePort();
    const serverOptions = [
      `-p ${port}`,
      `-k ${baseDir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=on',
      '-c max_connections=200',
    ].join(' ');
    const startArgs = ['-l', logFile, '-w', '-t', '60', '-o', serverOptions];
    await pgCtl([...startArgs, 'start'], 'start');

    const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${database}"`);
    } finally {
      await admin.end();
    }

    return {
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/${database}`,
      port,
      logFile,
      dataDir,
      async restart(mode) {
        await pgCtl([...startArgs, '-m', mode, 'restart'], `restart -m ${mode}`);
      },
      async stop(mode = 'fast') {
        await pgCtl(['-m', mode, '-w', '-t', '60', 'stop'], `stop -m ${mode}`);
      },
      async start() {
        await pgCtl([...startArgs, 'start'], 'start');
      },
      async destroy() {
        if (destroyed) return;
        destroyed = true;
        if (existsSync(join(dataDir, 'postmaster.pid')))
          await pgCtl(['-m', 'immediate', '-w', '-t', '30', 'stop'], 'stop -m immediate').catch(() => undefined);
        killSync();
        unregister();
      },
    };
  } catch (error) {
    killSync();
    unregister();
    throw error;
  }
}
