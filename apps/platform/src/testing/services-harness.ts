import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { natsNaming } from '@accord/service-kit';
import { createTestDatabase, eventually, httpClient, natsTestPrefix, sessionToken } from '@accord/testing';

const root = join(__dirname, '..', '..', '..', '..');

/**
 * The built entry of an app (`npm run build`): the services profile is proven on the JavaScript
 * that ships, not on ts-node. A missing build fails loudly instead of testing stale or no code.
 */
export function builtApp(app: string): string {
  const entry = join(root, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  return entry;
}

/** A free TCP port on loopback (for the gateway, or an SMTP server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface ServicesHarness {
  readonly jwtSecret: string;
  readonly naming: ReturnType<typeof natsNaming>;
  readonly baseUrl: string;
  readonly database: Awaited<ReturnType<typeof createTestDatabase>>;
  /** A plain NATS connection, as an outside consumer of ACCORD_EVENTS has. */
  readonly nats: NatsConnection;
  readonly call: ReturnType<typeof httpClient>;
  /** Start every app as its own process and wait until each answers through the gateway. */
  start(): Promise<void>;
  /** The ops port (`/health/live`, `/health`, `/metrics`) of a service app, e.g. `membership-service`. */
  opsPort(app: string): number;
  /** Stop every app with `signal` (SIGKILL for crash tests) and wait for the exits. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The services profile for an end-to-end spec: the given apps as real processes over the
 * machine's NATS and PostgreSQL, with a database and a NATS prefix of this run's own, started
 * before the spec's tests and cleaned away after them. `probes` are GET paths that must answer
 * 200 (through the gateway) before the system counts as up.
 */
export function useServicesProfile(options: {
  readonly apps: readonly string[];
  readonly probes: readonly string[];
  readonly env?: (baseUrl: string) => Promise<Record<string, string>> | Record<string, string>;
}): ServicesHarness {
  const jwtSecret = randomBytes(32).toString('base64url');
  const prefix = natsTestPrefix();
  const naming = natsNaming(prefix);
  const state: {
    database?: ServicesHarness['database'];
    nats?: NatsConnection;
    baseUrl?: string;
    env?: NodeJS.ProcessEnv;
    /** Each service app's OPS_PORT: processes on one machine need one each. */
    opsPorts?: Record<string, number>;
  } = {};
  let children: ChildProcess[] = [];
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the services start in beforeAll');
    return value;
  };

  const harness: ServicesHarness = {
    jwtSecret,
    naming,
    get baseUrl() {
      return need(state.baseUrl);
    },
    get database() {
      return need(state.database);
    },
    get nats() {
      return need(state.nats);
    },
    get call() {
      return httpClient(need(state.baseUrl));
    },
    opsPort(app) {
      const port = need(state.opsPorts)[app];
      if (port === undefined) throw new Error(`${app} has no ops port (not a service of this run)`);
      return port;
    },
    async start() {
      const entries = options.apps.map(builtApp);
      children = entries.map((entry, index) =>
        spawn(process.execPath, ['--enable-source-maps', entry], {
          env: { ...state.env, OPS_PORT: String(state.opsPorts?.[options.apps[index] ?? ''] ?? 0) },
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
      const token = await sessionToken(jwtSecret, { email: 'probe@example.com' });
      const up = async () => {
        try {
          const replies = await Promise.all(options.probes.map((path) => harness.call('GET', path, { token })));
          return replies.every((r) => r.status === 200);
        } catch {
          return false;
        }
      };
      expect(await eventually(up, Boolean, 60_000)).toBe(true);
    },
    async kill(signal) {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) =>
              child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill(signal)),
            ),
        ),
      );
      children = [];
    },
  };

  beforeAll(async () => {
    state.database = await createTestDatabase('accord_e2e');
    state.nats = await connect({ servers: '127.0.0.1:4222' });
    const port = await freePort();
    state.baseUrl = `http://127.0.0.1:${port}`;
    state.opsPorts = {};
    for (const app of options.apps.filter((a) => a.endsWith('-service'))) state.opsPorts[app] = await freePort();
    state.env = {
      ...process.env,
      DATABASE_URL: state.database.url,
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_PREFIX: prefix,
      JWT_SECRET: jwtSecret,
      INVITATION_LINK_KEY: randomBytes(32).toString('base64url'),
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(options.env ? await options.env(state.baseUrl) : {}),
    };
    await harness.start();
  }, 90_000);

  afterAll(async () => {
    await harness.kill('SIGTERM');
    await state.nats
      ?.jetstreamManager()
      .then((jsm) => jsm.streams.delete(naming.streamName))
      .catch(() => undefined);
    await state.nats?.drain();
    await state.database?.drop();
  }, 30_000);

  return harness;
}
