import { sessionToken } from '../../../shared/session-token';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { natsNaming } from '@accord/service-kit';
import type { AccordSystem, AppName } from '../ports';
import { onExit } from './exit-hooks';
import { builtAppArgs } from '../../../build/built-app';
import { freePort } from '../../../shared/loopback';
import { pidOwningSocket, tcpSocketInode } from './socket-owner';

const repoRoot = join(__dirname, '..', '..', '..', '..');
const APPS: readonly AppName[] = [
  'membership-service',
  'invitation-service',
  'api-token-service',
  'notification-service',
  'gateway',
];
/** What each app logs once it serves (startServiceProcess / the gateway's main). */
const READY_LINE = /listening on NATS|HTTP on http:\/\//;
/** The gateway's GET /health gathers these (HEALTH_SERVICES); an app started with 0 replicas is left out. */
const HEALTH_KEY: Partial<Record<AppName, string>> = {
  'membership-service': 'membership',
  'invitation-service': 'invitation',
  'api-token-service': 'token',
  'notification-service': 'notification',
};
/** SIGTERM (closeOnSignal) should end a process in seconds; past this it is SIGKILLed, and its log says so. */
const KILL_ESCALATION_MS = 30_000;

export interface AccordSystemOptions {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly smtpUrl: string;
  /** Replicas per app (default 1 each); the gateway is always a single replica. */
  readonly replicas?: Partial<Record<AppName, number>>;
  /** More environment for every app (e.g. NOTIFICATION_RETRY_BASE_MS), over the defaults. */
  readonly env?: Readonly<Record<string, string>>;
  /** Bound of each start-up phase (default 180 s: 2 CPUs transpiling six apps at once take a minute). */
  readonly startTimeoutMs?: number;
  /**
   * `staggered` (default): replica 0 of every app first, the other replicas once the system is up,
   * a stable baseline for a drill. `concurrent`: every replica at once, as an orchestrator rolls
   * out (on a fresh database this meets the projections' unguarded schema set-up: see the report).
   * Either way start fails if a replica exits during it.
   */
  readonly startup?: 'staggered' | 'concurrent';
  /** Remove the log directory on stop() (default false: the logs are what a failed drill shows). */
  readonly removeLogsOnStop?: boolean;
}

export type ReplicaExit = ReturnType<AccordSystem['exits']>[number];

interface Replica {
  readonly app: AppName;
  readonly index: number;
  readonly logFile: string;
  child: ChildProcess | null;
  expectingExit: boolean;
  exited: Promise<void>;
}

function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * The services profile as production runs it (each app `node dist/apps/<app>/src/main.js`, from
 * `npm run build`), on the given PostgreSQL, NATS and SMTP, with a NATS prefix and secrets
 * of its own, N replicas per app (same environment), each replica's stdout+stderr appended to
 * `<logDir>/<app>-<replica>.log`. Resolves once the system answers (waitUntilUp).
 */
export async function startAccordSystem(options: AccordSystemOptions): Promise<AccordSystem> {
  const counts = new Map<AppName, number>(
    APPS.map((app) => [app, app === 'gateway' ? 1 : (options.replicas?.[app] ?? 1)]),
  );
  if ((options.replicas?.gateway ?? 1) !== 1) throw new Error('the gateway runs as a single replica');
  for (const [app, n] of counts)
    if (!Number.isInteger(n) || n < 0) throw new Error(`replicas of ${app} must be a whole number ≥ 0, got ${n}`);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const jwtSecret = randomBytes(32).toString('base64url');
  const natsPrefix = `drill_${randomBytes(5).toString('hex')}`;
  const logDir = mkdtempSync(join(tmpdir(), 'accord-drill-logs-'));
  mkdirSync(logDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The caller's NATS identity or health list must not change what this system is.
  for (const key of ['NATS_USER', 'NATS_PASS', 'NATS_CREDS', 'NATS_INBOX_PREFIX', 'HEALTH_SERVICES', 'FORCE_COLOR'])
    delete env[key];
  Object.assign(env, {
    DATABASE_URL: options.databaseUrl,
    NATS_URL: options.natsUrl,
    NATS_PREFIX: natsPrefix,
    JWT_SECRET: jwtSecret,
    INVITATION_LINK_KEY: randomBytes(32).toString('base64url'),
    SMTP_URL: options.smtpUrl,
    PUBLIC_URL: baseUrl,
    // Read by the gateway only; the services listen on NATS, not HTTP.
    PORT: String(port),
    HOST: '127.0.0.1',
    // Replicas on one machine: each service's ops port (/health, /metrics) is a free one.
    OPS_PORT: '0',
    // Plain log lines in the files (Nest colours them otherwise when it thinks it may).
    NO_COLOR: '1',
    HEALTH_SERVICES: APPS.filter((app) => HEALTH_KEY[app] && (counts.get(app) ?? 0) > 0)
      .map((app) => HEALTH_KEY[app])
      .join(','),
    ...options.env,
  });

  const replicas: Replica[] = [];
  for (const app of APPS)
    for (let index = 0; index < (counts.get(app) ?? 0); index++)
      replicas.push({
        app,
        index,
        logFile: join(logDir, `${app}-${index}.log`),
        child: null,
        expectingExit: false,
        exited: Promise.resolve(),
      });
  const exits: ReplicaExit[] = [];
  let stopped = false;

  const replica = (app: AppName, index: number): Replica => {
    const found = replicas.find((r) => r.app === app && r.index === index);
    if (!found) throw new Error(`no replica ${index} of ${app} (started ${counts.get(app) ?? 0})`);
    return found;
  };

  const launch = (r: Replica) => {
    if (r.child) throw new Error(`${r.app}-${r.index} is already running (pid ${r.child.pid})`);
    const log = openSync(r.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, builtAppArgs(r.app), { cwd: repoRoot, env, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    appendFileSync(
      r.logFile,
      `--- drill: started ${r.app}-${r.index} pid ${child.pid} at ${new Date().toISOString()} ---\n`,
    );
    r.child = child;
    r.expectingExit = false;
    r.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        const expected = r.expectingExit || stopped;
        exits.push({ app: r.app, replica: r.index, pid: child.pid ?? 0, code, signal, at: Date.now(), expected });
        appendFileSync(
          r.logFile,
          `--- drill: ${r.app}-${r.index} pid ${child.pid} exited (${signal ?? code})` +
            `${expected ? '' : ' UNEXPECTEDLY'} at ${new Date().toISOString()} ---\n`,
        );
        if (r.child === child) r.child = null;
        resolve();
      });
    });
    child.once('error', (error) => appendFileSync(r.logFile, `--- drill: spawn failed: ${error.message} ---\n`));
  };

  const killReplica = async (r: Replica, signal: NodeJS.Signals) => {
    const child = r.child;
    if (!child) return;
    r.expectingExit = true;
    const done = r.exited;
    child.kill(signal);
    if (signal === 'SIGKILL') return done;
    const hard = setTimeout(() => {
      appendFileSync(r.logFile, `--- drill: no exit ${KILL_ESCALATION_MS} ms after ${signal}; SIGKILL ---\n`);
      child.kill('SIGKILL');
    }, KILL_ESCALATION_MS);
    await done;
    clearTimeout(hard);
  };

  const unregister = onExit(() => {
    for (const r of replicas) {
      if (!r.child?.pid) continue;
      try {
        process.kill(r.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (options.removeLogsOnStop) rmSync(logDir, { recursive: true, force: true });
  });

  const probeToken = await sessionToken(jwtSecret, { email: 'drill-probe@example.com' });

  /** One look at the system: null when up, else what is not (for the timeout message). */
  const notUp = async (): Promise<string | null> => {
    const get = async (path: string, token?: string) => {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(5_000),
      });
      return { status: response.status, text: await response.text() };
    };
    try {
      const health = await get('/health');
      if (health.status !== 200) return `GET /health ${health.status} ${health.text.slice(0, 300)}`;
      if ((JSON.parse(health.text) as { status?: string }).status !== 'ok')
        return `GET /health 200 ${health.text.slice(0, 300)}`;
      const probes: [string, AppName][] = [
        ['/v1/accounts', 'membership-service'],
        ['/v1/me/invitations', 'invitation-service'],
        ['/v1/me/notifications', 'notification-service'],
      ];
      for (const [path, app] of probes) {
        if ((counts.get(app) ?? 0) === 0) continue;
        const reply = await get(path, probeToken);
        if (reply.status !== 200) return `GET ${path} ${reply.status} ${reply.text.slice(0, 300)}`;
      }
      return null;
    } catch (error) {
      return `${(error as Error).message}${(error as Error).cause ? ` (${String((error as Error).cause)})` : ''}`;
    }
  };

  const waitUntilUp = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const problem = await notUp();
      if (problem === null) return;
      if (Date.now() >= deadline) throw new Error(`Accord not up within ${timeoutMs} ms; last: ${problem}`);
      await sleep(200);
    }
  };

  /** Until this replica logs its ready line (after `offset` of its log), or throws if it exits. */
  const waitForReadyLine = async (r: Replica, offset: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = readFileSync(r.logFile, 'utf8').slice(offset);
      if (READY_LINE.test(text)) return;
      if (!r.child) throw new Error(`${r.app}-${r.index} exited while starting:\n${tail(r.logFile)}`);
      if (Date.now() >= deadline)
        throw new Error(`${r.app}-${r.index} not ready within ${timeoutMs} ms:\n${tail(r.logFile)}`);
      await sleep(100);
    }
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // The gateway first (no new work), then the services.
    const gateway = replicas.filter((r) => r.app === 'gateway');
    await Promise.all(gateway.map((r) => killReplica(r, 'SIGTERM')));
    await Promise.all(replicas.filter((r) => r.app !== 'gateway').map((r) => killReplica(r, 'SIGTERM')));
    unregister();
    if (options.removeLogsOnStop) rmSync(logDir, { recursive: true, force: true });
  };

  const system: AccordSystem = {
    baseUrl,
    jwtSecret,
    natsPrefix,
    logDir,
    replicas: (app) => counts.get(app) ?? 0,
    logFile: (app, index) => replica(app, index).logFile,
    pid: (app, index) => replica(app, index).child?.pid ?? null,
    exits: () => [...exits],
    async kill(app, index, signal) {
      await killReplica(replica(app, index), signal);
    },
    async restart(app, index) {
      const r = replica(app, index);
      const offset = statSync(r.logFile, { throwIfNoEntry: false })?.size ?? 0;
      launch(r);
      await waitForReadyLine(r, offset, 90_000);
      await waitUntilUp(90_000);
    },
    async relayLockHolder() {
      const url = new URL(options.databaseUrl);
      const pgPort = Number(url.port || 5432);
      const key = `accord-relay:${natsNaming(natsPrefix).streamName}`;
      const client = new Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000 });
      client.on('error', () => undefined);
      await client.connect();
      let rows: { client_port: number | null }[];
      try {
        // pg_try_advisory_lock(bigint) shows as classid = high 32 bits, objid = low 32 bits, objsubid 1.
        ({ rows } = await client.query<{ client_port: number | null }>(
          `SELECT a.client_port
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)`,
          [key],
        ));
      } finally {
        await client.end().catch(() => undefined);
      }
      const clientPort = rows[0]?.client_port;
      if (!clientPort) return null;
      const inode = tcpSocketInode(clientPort, pgPort);
      if (inode === null) return null;
      const running = replicas.filter((r) => r.child?.pid);
      const pid = pidOwningSocket(
        inode,
        running.map((r) => r.child?.pid ?? 0),
      );
      const holder = running.find((r) => r.child?.pid === pid);
      return holder ? { app: holder.app, replica: holder.index } : null;
    },
    waitUntilUp,
    stop,
  };

  const startTimeoutMs = options.startTimeoutMs ?? 180_000;
  try {
    const first = options.startup === 'concurrent' ? replicas : replicas.filter((r) => r.index === 0);
    for (const r of first) launch(r);
    await Promise.all(first.map((r) => waitForReadyLine(r, 0, startTimeoutMs)));
    await waitUntilUp(startTimeoutMs);
    const rest = replicas.filter((r) => !first.includes(r));
    for (const r of rest) launch(r);
    await Promise.all(rest.map((r) => waitForReadyLine(r, 0, startTimeoutMs)));
    const down = replicas.filter((r) => !r.child);
    if (down.length)
      throw new Error(
        `exited during start-up: ${down.map((r) => `${r.app}-${r.index}:\n${tail(r.logFile, 8)}`).join('\n')}`,
      );
  } catch (error) {
    const logs = replicas.map((r) => `--- ${r.app}-${r.index} ---\n${tail(r.logFile, 8)}`).join('\n');
    await stop();
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
  return system;
}
