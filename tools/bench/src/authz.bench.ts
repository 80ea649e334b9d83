/**
 * Authorization check benchmark, what one check costs on each path: 100k memberships loaded, then checks answered
 *   0. by the pure evaluator alone (membership domain), on one account folded in memory,
 *   1. straight from the in-memory AuthzIndex (what a check costs inside the service),
 *   2. through the in-process transport (the embedded profile's request path),
 *   3. over NATS request/reply to the membership service (the services profile).
 * Prints checks/s and p50/p99 latency for each; and what loading costs: the 100k memberships folded
 * into a fresh index (time, retained heap), and one account with 100k members (ONE_ACCOUNT_MEMBERS)
 * loaded from the store and folded, which must grow with the members, not with their square.
 * Bounded in time; uses a throwaway database and a NATS subject prefix of its own.
 * Run: npm run bench:authz  (ACCOUNTS, MEMBERS, CHECKS, CONCURRENCY, ONE_ACCOUNT_MEMBERS)
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { streams, subjects, type AuthzCheckPayload, type EventEnvelope, type MembershipEvent } from '@accord/contracts';
import {
  createEventStore,
  createSqlClient,
  dropDatabase,
  ensureDatabase,
  type EventStore,
  type NewEvent,
} from '@accord/eventstore';
import { evaluateMember, evolveAccount, initialAccountState } from '@accord/membership-domain';
import { AuthzIndex, MembershipServiceModule } from '@accord/membership-service';
import {
  InProcessRequestClient,
  InProcessTransport,
  NatsRequestClient,
  StoreEventConsumer,
  natsServerOptions,
} from '@accord/messaging';
import { ServicesRootModule } from '@accord/service-kit';
import { measureDirect, measureRequests } from './measure';

const ACCOUNTS = Number(process.env['ACCOUNTS'] ?? 1000);
const MEMBERS = Number(process.env['MEMBERS'] ?? 100);
const CHECKS = Number(process.env['CHECKS'] ?? 20000);
const CONCURRENCY = Number(process.env['CONCURRENCY'] ?? 32);
const ONE_ACCOUNT_MEMBERS = Number(process.env['ONE_ACCOUNT_MEMBERS'] ?? 100_000);
const ONE_ACCOUNT_CAP_MS = 60_000;
const PERMISSIONS = ['vps:manage', 'billing:read', 'users:manage', 'dns:read', 'project:manage'];
const ROLES = ['administrator', 'accountant', 'read-only'] as const;

const meta = () => ({
  accountId: null,
  actor: { userId: 'bench', via: 'system' as const },
  correlationId: randomUUID(),
  causationId: null,
  occurredAt: new Date().toISOString(),
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** The heap still in use after full collections. */
const settledHeap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Every event of the store, in order (read before timing a fold, so the fold is timed alone). */
async function readEverything(store: EventStore): Promise<EventEnvelope[]> {
  const all: EventEnvelope[] = [];
  for (;;) {
    const page = await store.readAll(all.at(-1)?.globalPosition ?? 0, 10_000);
    if (page.length === 0) return all;
    all.push(...page);
  }
}

/** A fresh index folding `events` (no store behind it): wall time and the heap it retains. */
function foldAlone(label: string, events: readonly EventEnvelope[]): void {
  const heapBefore = settledHeap();
  const index = new AuthzIndex({} as EventStore);
  const t0 = performance.now();
  for (const event of events) index.apply(event);
  const ms = performance.now() - t0;
  const heap = settledHeap() - heapBefore;
  console.log(`${label.padEnd(38)} ${ms.toFixed(0).padStart(9)} ms       retained heap ${mib(heap)}`);
  if (index.position() !== events.at(-1)?.globalPosition) throw new Error(`${label}: not every event folded`);
}

/** Only the authorization index. */
@Module({ providers: [AuthzIndex], exports: [AuthzIndex] })
class AuthzIndexOnlyModule {}

const randomRequest = (accountIds: string[]): AuthzCheckPayload => {
  const a = Math.floor(Math.random() * accountIds.length);
  const m = Math.floor(Math.random() * (MEMBERS + 5)); // a few non-members too
  return { accountId: accountIds[a]!, userId: `u-${a}-${m}`, permission: PERMISSIONS[m % PERMISSIONS.length]! };
};

async function main() {
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/accord_bench_${randomUUID().slice(0, 8)}`;
  const prefix = `bench${randomUUID().slice(0, 6)}`;
  await ensureDatabase(databaseUrl);
  const sql = await createSqlClient({ databaseUrl });
  const store = await createEventStore(sql);
  try {
    console.log(`loading ${ACCOUNTS} accounts × ${MEMBERS} members = ${ACCOUNTS * MEMBERS} memberships …`);
    const loadStart = performance.now();
    const accountIds: string[] = [];
    let firstAccount: MembershipEvent[] = [];
    for (let a = 0; a < ACCOUNTS; a++) {
      const accountId = randomUUID();
      accountIds.push(accountId);
      const domainEvents: MembershipEvent[] = [
        {
          type: 'AccountCreated',
          data: { accountId, name: `A${a}`, rootOwner: { userId: `u-${a}-0`, email: `o${a}@x.io` } },
        },
      ];
      for (let m = 1; m < MEMBERS; m++) {
        const data = {
          accountId,
          userId: `u-${a}-${m}`,
          email: `m${a}-${m}@x.io`,
          role: ROLES[m % ROLES.length]!,
          scope: { type: 'global' as const },
          accessId: accountId,
          invitationId: randomUUID(),
        };
        domainEvents.push({ type: 'MemberJoined', data });
      }
      if (a === 0) firstAccount = domainEvents;
      const events: NewEvent[] = domainEvents.map(({ type, data }) => ({
        id: randomUUID(),
        type,
        data,
        metadata: { ...meta(), accountId },
      }));
      await store.append(streams.account(accountId), events, 'no_stream');
    }
    console.log(`appended in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

    // The membership service, on NATS and on the in-process transport, over this store.
    // Each app gets its own consumer object: a consumer name may be active once per process.
    const infrastructure = () => ({
      store,
      sql,
      consumer: new StoreEventConsumer({ store, sql }),
      requests: new InProcessRequestClient(new InProcessTransport()),
    });
    const natsApp = await NestFactory.createMicroservice(
      ServicesRootModule.forRoot(infrastructure(), [MembershipServiceModule]),
      {
        ...natsServerOptions({ servers: '127.0.0.1:4222', queue: 'bench-membership', prefix }),
        logger: false,
      },
    );
    await natsApp.listen();
    const transport = new InProcessTransport();
    const localApp = await NestFactory.createMicroservice(
      ServicesRootModule.forRoot(infrastructure(), [MembershipServiceModule]),
      { strategy: transport, logger: false },
    );
    await localApp.listen();

    const head = await store.headPosition();
    const catchUpStart = performance.now();
    for (const app of [natsApp, localApp]) await app.get(AuthzIndex).waitFor(head, 120_000);
    console.log(
      `indexes caught up (both services) in ${((performance.now() - catchUpStart) / 1000).toFixed(1)} s; rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
    );

    // The load alone: the same 100k memberships folded into a fresh index, no store reads timed.
    let everything: EventEnvelope[] | null = await readEverything(store);
    foldAlone(`index fold, ${ACCOUNTS * MEMBERS} memberships`, everything);
    everything = null;

    // 0. The pure evaluator, on the first account folded here: the cost of the rules alone.
    const folded = firstAccount.reduce(evolveAccount, initialAccountState());
    if (folded.status !== 'active') throw new Error('the first account did not fold');
    const members = [...folded.members.values()];
    measureDirect('pure evaluator (membership domain)', CHECKS * 10, (i) =>
      evaluateMember(folded, members[i % members.length]!, { permission: PERMISSIONS[i % PERMISSIONS.length]! }),
    );

    // 1. The index itself.
    const index = localApp.get(AuthzIndex);
    const requests = Array.from({ length: CHECKS * 10 }, () => randomRequest(accountIds));
    let allowed = 0;
    measureDirect(
      'in-memory index (direct call)',
      requests.length,
      (i) => index.check(requests[i]!).allowed && allowed++,
    );
    console.log(`  (${Math.round((allowed / requests.length) * 100)}% allowed)`);

    // 2. In-process transport, 3. NATS.
    const check = () => ({ payload: randomRequest(accountIds) });
    await measureRequests(
      'in-process request/reply',
      new InProcessRequestClient(transport),
      subjects.authz.check,
      CHECKS,
      CONCURRENCY,
      check,
    );
    const nats = new NatsRequestClient({ servers: '127.0.0.1:4222', prefix });
    await measureRequests('NATS request/reply', nats, subjects.authz.check, CHECKS, CONCURRENCY, check);

    await nats.close();
    await natsApp.close();
    await localApp.close();

    await loadOneAccount(store, sql);
  } finally {
    await store.close();
    await sql.close();
    await dropDatabase(databaseUrl);
  }
}

/**
 * One account with ONE_ACCOUNT_MEMBERS members, appended in batches of 1000, then (a) a fresh
 * index catching up from the store as the service's does and (b) the same events folded alone.
 * A fold that copies the members per event would take minutes here: capped.
 */
async function loadOneAccount(store: EventStore, sql: Awaited<ReturnType<typeof createSqlClient>>): Promise<void> {
  const accountId = randomUUID();
  const from = await store.headPosition();
  const domainEvents: MembershipEvent[] = [
    { type: 'AccountCreated', data: { accountId, name: 'Big', rootOwner: { userId: 'big-0', email: 'big0@x.io' } } },
  ];
  for (let m = 1; m < ONE_ACCOUNT_MEMBERS; m++) {
    domainEvents.push({
      type: 'MemberJoined',
      data: {
        accountId,
        userId: `big-${m}`,
        email: `big${m}@x.io`,
        role: ROLES[m % ROLES.length]!,
        scope: { type: 'global' },
        accessId: accountId,
        invitationId: randomUUID(),
      },
    });
  }
  let version: number | 'no_stream' = 'no_stream';
  for (let i = 0; i < domainEvents.length; i += 1000) {
    const batch = domainEvents.slice(i, i + 1000).map(({ type, data }) => ({
      id: randomUUID(),
      type,
      data,
      metadata: { ...meta(), accountId },
    }));
    version = (await store.append(streams.account(accountId), batch, version)).nextExpectedVersion;
  }
  const head = await store.headPosition();

  const events: EventEnvelope[] = [];
  for (;;) {
    const page = await store.readAll(events.at(-1)?.globalPosition ?? from, 10_000);
    if (page.length === 0) break;
    events.push(...page);
  }
  foldAlone(`index fold, 1 account × ${ONE_ACCOUNT_MEMBERS} members`, events);

  // The index alone, started as Nest starts it in the service (no SQL projection replaying beside it).
  const t0 = performance.now();
  const app = await NestFactory.createApplicationContext(
    ServicesRootModule.forRoot(
      {
        store,
        sql,
        consumer: new StoreEventConsumer({ store, sql }),
        requests: new InProcessRequestClient(new InProcessTransport()),
      },
      [AuthzIndexOnlyModule],
    ),
    { logger: false },
  );
  const loaded = await app.get(AuthzIndex).waitFor(head, ONE_ACCOUNT_CAP_MS);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    loaded
      ? `index load from the store, 1 account × ${ONE_ACCOUNT_MEMBERS} members after the 100k memberships: ${seconds.toFixed(1)} s`
      : `index load with 1 account × ${ONE_ACCOUNT_MEMBERS} members: not loaded within ${ONE_ACCOUNT_CAP_MS / 1000} s`,
  );
  await app.close();
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
