import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { acceptAnyEvent, createEventStore, createSqlClient, type EventStore, type SqlClient } from '@accord/eventstore';
import { membershipProjection } from '@accord/membership-service';
import {
  NATS_URL,
  emitRow,
  log,
  ms,
  percentile,
  runPrefix,
  sleep,
  sweepRun,
  throwawayDatabase,
  type RowResult,
} from './common';
import {
  drain,
  freePort,
  httpClean,
  httpFigures,
  httpLoad,
  postJson,
  sessionToken,
  startApp,
  stopApps,
  waitUntilUp,
} from './http-load';

/**
 * Rows 5, 7 and 11: the services profile (gateway and services as their own processes over NATS and
 * PostgreSQL, as `npm run start:services` runs them) on a throwaway database and NATS prefix, under
 * autocannon. During the POST load the projection lag is sampled: a poller on its own connection
 * notes when the store's head first reaches a position and when the read model that answers
 * GET /v1/accounts (its checkpoint) reaches it.
 */
const APPS = ['membership-service', 'invitation-service', 'api-token-service', 'gateway'];
const CONNECTIONS = 32;
export const HTTP_SECONDS = Number(process.env['BENCH_HTTP_SECONDS'] ?? 10);
export const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 3);
const POLL_MS = 5;
const CATCH_UP_MS = 15_000;

export async function runServicesSection(): Promise<void> {
  const run = runPrefix();
  const prefix = `${run}svc`;
  const database = await throwawayDatabase('services', 2);
  const jwtSecret = randomBytes(32).toString('base64url');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    NATS_URL,
    NATS_PREFIX: prefix,
    JWT_SECRET: jwtSecret,
    INVITATION_LINK_KEY: randomBytes(32).toString('base64url'),
    PORT: String(port),
    HOST: '127.0.0.1',
    // Services on one machine: each one's ops port (/health, /metrics) is a free one.
    OPS_PORT: '0',
    SMTP_URL: '',
  };
  let children: ChildProcess[] = [];
  try {
    const started = performance.now();
    children = APPS.map((app) => startApp(app, env));
    const probe = await sessionToken(jwtSecret, { email: 'probe@example.com' });
    await waitUntilUp(baseUrl, probe, ['/v1/accounts', '/v1/me/invitations']);
    log(`  services profile up in ${((performance.now() - started) / 1000).toFixed(1)} s on ${baseUrl}`);

    // Callers: 256 people creating accounts, 64 people listing theirs (2 accounts each).
    const creators = await Promise.all(
      Array.from({ length: 256 }, (_, i) => sessionToken(jwtSecret, { email: `creator-${i}@example.com` })),
    );
    const readers = await Promise.all(
      Array.from({ length: 64 }, (_, i) => sessionToken(jwtSecret, { email: `reader-${i}@example.com` })),
    );
    for (const token of readers)
      for (let k = 0; k < 2; k++) await postJson(baseUrl, '/v1/accounts', token, { name: `Reader ${k}` });

    // 5 (+ 11). POST /v1/accounts, 32 connections, with the projection lag sampled meanwhile.
    const post = { baseUrl, method: 'POST' as const, path: '/v1/accounts', body: { name: 'Bench' }, tokens: creators };
    await httpLoad({ ...post, connections: CONNECTIONS, seconds: WARMUP_SECONDS });
    await drain(baseUrl, post.path, creators[0]!, post.body);
    const lag = await LagPoller.start(database.url, `projection:${membershipProjection.name}`);
    const posted = await httpLoad({ ...post, connections: CONNECTIONS, seconds: HTTP_SECONDS });
    const lags = await lag.stop();
    log(`  POST: ${httpFigures(posted)}`);
    emitRow({
      id: 'post-services',
      figures: httpFigures(posted),
      met: posted.perSecond >= 1500 && posted.p99 <= 50 && httpClean(posted),
    });
    emitRow(lagRow(lags));

    // 7. GET /v1/accounts, 32 connections.
    const get = { baseUrl, method: 'GET' as const, path: '/v1/accounts', tokens: readers };
    await httpLoad({ ...get, connections: CONNECTIONS, seconds: WARMUP_SECONDS });
    await drain(baseUrl, get.path, readers[0]!);
    const got = await httpLoad({ ...get, connections: CONNECTIONS, seconds: HTTP_SECONDS });
    log(`  GET: ${httpFigures(got)}`);
    emitRow({
      id: 'get-services',
      figures: httpFigures(got),
      met: got.perSecond >= 5000 && got.p99 <= 20 && httpClean(got),
    });
  } finally {
    await stopApps(children);
    await database.drop().catch(() => undefined);
    await sweepRun(prefix).catch(() => undefined);
  }
}

function lagRow(lag: LagSamples): RowResult {
  const sorted = [...lag.lags].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  // Positions the read model had not reached when sampling ended count with their age so far.
  const atLeast = lag.unreached > 0 ? '≥ ' : '';
  return {
    id: 'projection-lag',
    figures:
      `p50 ${atLeast}${ms(percentile(sorted, 50))}, p99 ${atLeast}${ms(p99)}, max ${atLeast}${ms(sorted[sorted.length - 1] ?? Number.NaN)} ` +
      `(${sorted.length.toLocaleString('en-US')} head positions sampled every ~${POLL_MS} ms` +
      `${lag.unreached > 0 ? `; ${lag.unreached} not reached ${CATCH_UP_MS / 1000} s after the load` : ''})`,
    met: lag.unreached === 0 && p99 <= 100,
  };
}

interface LagSamples {
  /** Lag of each sampled position, ms (for unreached ones: their age when sampling ended). */
  readonly lags: number[];
  readonly unreached: number;
}

/**
 * Samples, on a connection of its own, the store's head (what a reader can see: the append has
 * committed) and a read model's checkpoint. Lag of a position = first time the checkpoint is at
 * or past it − first time the head was seen at or past it. After the load, it waits (bounded) for
 * the read model to reach the positions sampled during the load.
 */
class LagPoller {
  private sampling = true;
  private readonly lags: number[] = [];
  private readonly pending: Array<{ position: number; seenAt: number }> = [];
  private done: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly checkpoint: string,
  ) {}

  static async start(databaseUrl: string, checkpoint: string): Promise<LagPoller> {
    const sql = await createSqlClient({ databaseUrl, poolSize: 1 });
    const store = await createEventStore(sql, { validateEvent: acceptAnyEvent });
    const poller = new LagPoller(store, sql, checkpoint);
    poller.done = poller.loop();
    return poller;
  }

  private async loop(): Promise<void> {
    let lastHead = Number(await this.store.headPosition());
    let catchUpUntil = Number.POSITIVE_INFINITY;
    while (this.pending.length > 0 || this.sampling) {
      if (this.sampling) {
        const head = Number(await this.store.headPosition());
        const headAt = performance.now();
        if (head > lastHead) {
          this.pending.push({ position: head, seenAt: headAt });
          lastHead = head;
        }
      } else if (catchUpUntil === Number.POSITIVE_INFINITY) catchUpUntil = performance.now() + CATCH_UP_MS;
      else if (performance.now() > catchUpUntil) break;
      const { rows } = await this.sql.query<{ position: string }>(`SELECT position FROM checkpoints WHERE name = $1`, [
        this.checkpoint,
      ]);
      const checkpointAt = performance.now();
      const reached = Number(rows[0]?.position ?? 0);
      while (this.pending.length > 0 && this.pending[0]!.position <= reached)
        this.lags.push(checkpointAt - this.pending.shift()!.seenAt);
      await sleep(POLL_MS);
    }
  }

  async stop(): Promise<LagSamples> {
    this.sampling = false;
    await this.done;
    const now = performance.now();
    const unreached = this.pending.length;
    for (const { seenAt } of this.pending) this.lags.push(now - seenAt);
    await this.store.close();
    await this.sql.close();
    return { lags: this.lags, unreached };
  }
}
