import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect, type NatsConnection } from 'nats';
import { streams, subjects, type AuthzCheckPayload, type MembershipEvent } from '@accord/contracts';
import {
  createEventStore,
  createSqlClient,
  dropDatabase,
  type EventStore,
  type NewEvent,
  type SqlClient,
} from '@accord/eventstore';
import { AuthzIndex, MembershipServiceModule, membershipProjection } from '@accord/membership-service';
import {
  InProcessRequestClient,
  InProcessTransport,
  NatsRequestClient,
  StoreEventConsumer,
  natsServerOptions,
} from '@accord/messaging';
import { ServicesRootModule } from '@accord/service-kit';
import {
  NATS_URL,
  databaseUrl,
  emitRow,
  emitValue,
  latencyText,
  log,
  mib,
  rate,
  runPrefix,
  settledHeap,
  throwawayDatabase,
  timedConcurrent,
  timings,
  type Timings,
} from './common';

/**
 * Rows 8–10: authorization checks. `authz-seed` appends 1000 accounts × 100 memberships to a
 * throwaway database; `authz` (a fresh process, so its memory says what the index costs) loads the
 * index from it, calls it directly, then serves checks over NATS next to a bare nats.js echo
 * responder; `authz-one-account` loads one account with 100k members.
 */
const ACCOUNTS = 1000;
const MEMBERS = 100;
const ONE_ACCOUNT_MEMBERS = 100_000;
const DIRECT_CHECKS = 500_000;
const NATS_CHECKS = Number(process.env['BENCH_NATS_CHECKS'] ?? 10_000);
const IN_FLIGHT = [32, 64];
const ONE_ACCOUNT_CAP_MS = Number(process.env['BENCH_ONE_ACCOUNT_CAP_SECONDS'] ?? 20) * 1000;
const PERMISSIONS = ['vps:manage', 'billing:read', 'users:manage', 'dns:read', 'project:manage'];
const ROLES = ['administrator', 'accountant', 'read-only'] as const;

const metadata = (accountId: string) => ({
  accountId,
  actor: { userId: 'bench', via: 'system' as const },
  correlationId: randomUUID(),
  causationId: null,
  occurredAt: new Date().toISOString(),
});

export const accountIdOf = (a: number) => `00000000-0000-4000-8000-${String(a).padStart(12, '0')}`;

export function memberJoined(accountId: string, userId: string, m: number): MembershipEvent {
  return {
    type: 'MemberJoined',
    data: {
      accountId,
      userId,
      email: `${userId}@x.io`,
      role: ROLES[m % ROLES.length]!,
      scope: { type: 'global' },
      accessId: accountId,
      invitationId: randomUUID(),
    },
  };
}

export const asNew = (accountId: string, events: MembershipEvent[]): NewEvent[] =>
  events.map(({ type, data }) => ({ id: randomUUID(), type, data, metadata: metadata(accountId) }));

export const accountCreated = (accountId: string, name: string, ownerId: string): MembershipEvent => ({
  type: 'AccountCreated',
  data: { accountId, name, rootOwner: { userId: ownerId, email: `${ownerId}@x.io` } },
});

/** Only the authorization index, on the given store, started as Nest starts it in the service. */
@Module({ providers: [AuthzIndex], exports: [AuthzIndex] })
class AuthzIndexOnlyModule {}

function infrastructure(store: EventStore, sql: SqlClient) {
  return {
    store,
    sql,
    consumer: new StoreEventConsumer({ store, sql }),
    requests: new InProcessRequestClient(new InProcessTransport()),
  };
}

async function startIndex(store: EventStore, sql: SqlClient): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(
    ServicesRootModule.forRoot(infrastructure(store, sql), [AuthzIndexOnlyModule]),
    { logger: false },
  );
}

export async function runAuthzSeedSection(): Promise<void> {
  const database = await throwawayDatabase('authz', 8);
  const store = await createEventStore(database.sql);
  try {
    const started = performance.now();
    for (let a = 0; a < ACCOUNTS; a++) {
      const accountId = accountIdOf(a);
      const events = [accountCreated(accountId, `A${a}`, `u-${a}-0`)];
      for (let m = 1; m < MEMBERS; m++) events.push(memberJoined(accountId, `u-${a}-${m}`, m));
      await store.append(streams.account(accountId), asNew(accountId, events), 'no_stream');
    }
    log(`  seeded ${ACCOUNTS * MEMBERS} memberships in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    emitValue('authz-database', database.url);
  } finally {
    await store.close();
    await database.sql.close();
  }
}

export async function runAuthzLoadSection(): Promise<void> {
  const url = databaseUrl('authz');
  const sql = await createSqlClient({ databaseUrl: url, poolSize: 8 });
  const store = await createEventStore(sql);
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const head = await store.headPosition();

    // 10. Index load: from position 0 to the head, in this fresh process; memory is the retained
    // heap after a full GC (and the process's RSS growth).
    const heapBefore = settledHeap();
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const context = await startIndex(store, sql);
    cleanups.push(() => context.close());
    const index = context.get(AuthzIndex);
    if (!(await index.waitFor(head, 120_000))) throw new Error('the index did not load within 120 s');
    const loadSeconds = (performance.now() - t0) / 1000;
    const rssAfter = process.memoryUsage().rss;
    const heapDelta = settledHeap() - heapBefore;
    log(`  index loaded in ${loadSeconds.toFixed(2)} s`);
    emitRow({
      id: 'authz-load',
      figures:
        `${loadSeconds.toFixed(2)} s; ${mib(heapDelta)} retained heap ` +
        `(RSS +${mib(rssAfter - rssBefore)}, ${mib(rssAfter)} in all)`,
      met: loadSeconds <= 1 && heapDelta <= 150 * 2 ** 20,
    });

    // 9. Direct calls on the loaded index: throughput untimed per call, then latencies one by one.
    const requests = Array.from({ length: 100_000 }, randomRequest);
    let allowed = 0;
    const loopStart = performance.now();
    for (let i = 0; i < DIRECT_CHECKS; i++) if (index.check(requests[i % requests.length]!).allowed) allowed++;
    const perSecond = (DIRECT_CHECKS / (performance.now() - loopStart)) * 1000;
    const latencies = new Float64Array(DIRECT_CHECKS / 5);
    for (let i = 0; i < latencies.length; i++) {
      const c0 = performance.now();
      index.check(requests[i % requests.length]!);
      latencies[i] = performance.now() - c0;
    }
    latencies.sort();
    const us = (p: number) => (latencies[Math.floor((p / 100) * latencies.length)]! * 1000).toFixed(2);
    const p99us = Number(us(99));
    emitRow({
      id: 'authz-direct',
      figures: `${rate(perSecond)} ops/s, p50 ${us(50)} µs, p99 ${us(99)} µs (${Math.round((allowed / DIRECT_CHECKS) * 100)}% allowed)`,
      met: perSecond >= 1e6 && p99us <= 5,
    });
    await context.close();
    cleanups.pop();

    // 8. Over NATS: the membership service (its message controllers, its own index) on NATS in this
    // process, beside a bare nats.js echo responder answering the same sizes. The SQL read model
    // is marked as caught up first, so its replay of 100k events does not run during the measurement.
    await sql.query(
      `INSERT INTO checkpoints (name, position, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`,
      [`projection:${membershipProjection.name}`, head],
    );
    const prefix = `${runPrefix()}authz`;
    const natsApp = await NestFactory.createMicroservice(
      ServicesRootModule.forRoot(infrastructure(store, sql), [MembershipServiceModule]),
      { ...natsServerOptions({ servers: NATS_URL, queue: 'bench-membership', prefix }), logger: false },
    );
    await natsApp.listen();
    cleanups.push(() => natsApp.close());
    if (!(await natsApp.get(AuthzIndex).waitFor(head, 120_000))) throw new Error('the service index did not load');
    const client = new NatsRequestClient({ servers: NATS_URL, prefix, name: 'bench-authz' });
    cleanups.push(() => client.close());
    const nc = await connect({ servers: NATS_URL, name: 'bench-echo' });
    cleanups.push(() => nc.drain());

    const accordCheck = async () => {
      const reply = await client.send(subjects.authz.check, { payload: randomRequest() });
      if (!reply.ok) throw new Error(`authz.check failed: ${reply.error.code} ${reply.error.message}`);
    };
    await timedConcurrent(2000, 32, accordCheck); // warm-up
    const sizes = await wireSizes(nc, `${prefix}.${subjects.authz.check}`, accordCheck);
    log(`  wire sizes: request ${sizes.request} B, reply ${sizes.reply} B`);
    const echoSubject = `${prefix}.bench.echo`;
    const echo = nc.subscribe(echoSubject, { queue: 'bench-echo' });
    const replyBytes = new Uint8Array(sizes.reply).fill(120);
    void (async () => {
      for await (const message of echo) message.respond(replyBytes);
    })();
    const requestBytes = new Uint8Array(sizes.request).fill(120);
    const echoCheck = () => nc.request(echoSubject, requestBytes, { timeout: 10_000 });
    await timedConcurrent(2000, 32, echoCheck); // warm-up

    const byInFlight: Array<{ inFlight: number; accord: Timings; echo: Timings }> = [];
    for (const inFlight of IN_FLIGHT) {
      const a = await timedConcurrent(NATS_CHECKS, inFlight, accordCheck);
      const e = await timedConcurrent(NATS_CHECKS, inFlight, echoCheck);
      const result = { inFlight, accord: timings(a.latencies, a.elapsedMs), echo: timings(e.latencies, e.elapsedMs) };
      log(`  ${inFlight} in flight: accord ${rate(result.accord.perSecond)}/s, echo ${rate(result.echo.perSecond)}/s`);
      byInFlight.push(result);
    }
    const best = byInFlight.reduce((x, y) => (y.accord.perSecond > x.accord.perSecond ? y : x));
    const ratio = best.accord.perSecond / best.echo.perSecond;
    emitRow({
      id: 'authz-nats',
      figures: `${rate(best.accord.perSecond)}/s, ${latencyText(best.accord)} (${best.inFlight} in flight)`,
      baseline: `bare echo responder: ${rate(best.echo.perSecond)}/s, ${latencyText(best.echo)} (${best.inFlight} in flight)`,
      ratio,
      met: ratio >= 0.6,
    });
    echo.unsubscribe();
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await store.close();
    await sql.close();
    await dropDatabase(url);
  }
}

function randomRequest(): AuthzCheckPayload {
  const a = Math.floor(Math.random() * ACCOUNTS);
  const m = Math.floor(Math.random() * (MEMBERS + 5)); // a few non-members too
  return { accountId: accountIdOf(a), userId: `u-${a}-${m}`, permission: PERMISSIONS[m % PERMISSIONS.length]! };
}

/** The bytes of one Accord authorization request and of its reply, as they cross NATS. */
async function wireSizes(
  nc: NatsConnection,
  subject: string,
  check: () => Promise<void>,
): Promise<{ request: number; reply: number }> {
  const spy = nc.subscribe(subject, { max: 1 });
  const captured = (async () => {
    for await (const message of spy) return message;
    throw new Error('no request seen');
  })();
  await nc.flush();
  await check();
  const request = await captured;
  const reply = await nc.request(subject, request.data, { timeout: 10_000 });
  return { request: request.data.length, reply: reply.data.length };
}

export async function runAuthzOneAccountSection(): Promise<void> {
  const database = await throwawayDatabase('authz_one', 8);
  const store = await createEventStore(database.sql);
  try {
    const accountId = randomUUID();
    const events: MembershipEvent[] = [accountCreated(accountId, 'Big', 'u-0')];
    for (let m = 1; m < ONE_ACCOUNT_MEMBERS; m++) events.push(memberJoined(accountId, `u-${m}`, m));
    let version: number | 'no_stream' = 'no_stream';
    for (let i = 0; i < events.length; i += 1000) {
      const result = await store.append(
        streams.account(accountId),
        asNew(accountId, events.slice(i, i + 1000)),
        version,
      );
      version = result.nextExpectedVersion;
    }
    const head = await store.headPosition();
    log(`  seeded one account with ${ONE_ACCOUNT_MEMBERS.toLocaleString('en-US')} members`);

    const t0 = performance.now();
    const context = await startIndex(store, database.sql);
    const index = context.get(AuthzIndex);
    const loaded = await index.waitFor(head, ONE_ACCOUNT_CAP_MS);
    const seconds = (performance.now() - t0) / 1000;
    if (!loaded) {
      const { rows } = await database.sql
        .query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE global_position <= $1`, [index.position()])
        .catch(() => ({ rows: [{ n: '?' }] }));
      emitRow({
        id: 'authz-one-account',
        figures: `not loaded within ${ONE_ACCOUNT_CAP_MS / 1000} s (${rows[0]?.n ?? '?'} of ${ONE_ACCOUNT_MEMBERS.toLocaleString('en-US')} events folded)`,
        met: false,
      });
      // The fold may be busy for a long time: leave; the orchestrator drops the database.
      process.exit(0);
    }
    emitRow({ id: 'authz-one-account', figures: `${seconds.toFixed(2)} s` });
    await context.close();
  } finally {
    await store.close();
    await database.drop();
  }
}
