/**
 * Authorization check benchmark (issue 4): 100k memberships loaded, then checks answered
 *   1. straight from the in-memory AuthzIndex (what a check costs inside the service),
 *   2. through the in-process transport (the embedded profile's request path),
 *   3. over NATS request/reply to the membership service (the services profile).
 * Prints checks/s and p50/p99 latency for each. Bounded in time; uses a throwaway database and a
 * NATS subject prefix of its own. Run: npm run bench:authz  (ACCOUNTS, MEMBERS, CHECKS, CONCURRENCY)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { streams, subjects, type AuthzCheckPayload, type AuthzDecision } from '@accord/contracts';
import { createEventStore, createSqlClient, dropDatabase, ensureDatabase, type NewEvent } from '@accord/eventstore';
import { AuthzIndex, MembershipServiceModule } from '@accord/membership-service';
import { InProcessRequestClient, InProcessTransport, NatsRequestClient, StoreEventConsumer, natsServerOptions, type RequestClient } from '@accord/messaging';
import { ServicesRootModule } from '@accord/runtime';

const ACCOUNTS = Number(process.env['ACCOUNTS'] ?? 1000);
const MEMBERS = Number(process.env['MEMBERS'] ?? 100);
const CHECKS = Number(process.env['CHECKS'] ?? 20000);
const CONCURRENCY = Number(process.env['CONCURRENCY'] ?? 32);
const PERMISSIONS = ['vps:manage', 'billing:read', 'users:manage', 'dns:read', 'project:manage'];
const ROLES = ['administrator', 'accountant', 'read-only'] as const;

const meta = () => ({ accountId: null, actor: { userId: 'bench', via: 'system' as const }, correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString() });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function report(label: string, latenciesMs: number[], elapsedMs: number) {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const perSecond = Math.round((latenciesMs.length / elapsedMs) * 1000);
  console.log(`${label.padEnd(34)} ${String(perSecond).padStart(9)} checks/s   p50 ${percentile(sorted, 50).toFixed(3)} ms   p99 ${percentile(sorted, 99).toFixed(3)} ms`);
}

const randomRequest = (accountIds: string[]): AuthzCheckPayload => {
  const a = Math.floor(Math.random() * accountIds.length);
  const m = Math.floor(Math.random() * (MEMBERS + 5)); // a few non-members too
  return { accountId: accountIds[a]!, userId: `u-${a}-${m}`, permission: PERMISSIONS[m % PERMISSIONS.length]! };
};

async function viaClient(label: string, client: RequestClient, accountIds: string[]) {
  const latencies: number[] = [];
  const start = performance.now();
  let issued = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued++ < CHECKS) {
        const t0 = performance.now();
        const reply = await client.send<{ payload: AuthzCheckPayload }, AuthzDecision>(subjects.authz.check, { payload: randomRequest(accountIds) });
        latencies.push(performance.now() - t0);
        if (!reply.ok) throw new Error(`check failed: ${reply.error.code}`);
      }
    }),
  );
  report(`${label} (${CONCURRENCY} in flight)`, latencies, performance.now() - start);
}

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
    for (let a = 0; a < ACCOUNTS; a++) {
      const accountId = randomUUID();
      accountIds.push(accountId);
      const events: NewEvent[] = [
        { id: randomUUID(), type: 'AccountCreated', data: { accountId, name: `A${a}`, rootOwner: { userId: `u-${a}-0`, email: `o${a}@x.io` } }, metadata: { ...meta(), accountId } },
      ];
      for (let m = 1; m < MEMBERS; m++) {
        const data = { accountId, userId: `u-${a}-${m}`, email: `m${a}-${m}@x.io`, role: ROLES[m % ROLES.length], scope: { type: 'global' }, accessId: accountId, invitationId: randomUUID() };
        events.push({ id: randomUUID(), type: 'MemberJoined', data, metadata: { ...meta(), accountId } });
      }
      await store.append(streams.account(accountId), events, 'no_stream');
    }
    console.log(`appended in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

    // The membership service, on NATS and on the in-process transport, over this store.
    // Each app gets its own consumer object: a consumer name may be active once per process.
    const infrastructure = () => ({ store, sql, consumer: new StoreEventConsumer({ store, sql }) });
    const natsApp = await NestFactory.createMicroservice(ServicesRootModule.forRoot(infrastructure(), [MembershipServiceModule]), {
      ...natsServerOptions({ servers: '127.0.0.1:4222', queue: 'bench-membership', prefix }),
      logger: false,
    });
    await natsApp.listen();
    const transport = new InProcessTransport();
    const localApp = await NestFactory.createMicroservice(ServicesRootModule.forRoot(infrastructure(), [MembershipServiceModule]), { strategy: transport, logger: false });
    await localApp.listen();

    const head = await store.headPosition();
    const catchUpStart = performance.now();
    for (const app of [natsApp, localApp]) await app.get(AuthzIndex).waitFor(head, 120_000);
    console.log(`indexes caught up (both services) in ${((performance.now() - catchUpStart) / 1000).toFixed(1)} s; rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);

    // 1. The index itself.
    const index = localApp.get(AuthzIndex);
    const latencies: number[] = [];
    const requests = Array.from({ length: CHECKS * 10 }, () => randomRequest(accountIds));
    const start = performance.now();
    let allowed = 0;
    for (const request of requests) {
      const t0 = performance.now();
      if (index.check(request).allowed) allowed++;
      latencies.push(performance.now() - t0);
    }
    report('in-memory index (direct call)', latencies, performance.now() - start);
    console.log(`  (${Math.round((allowed / requests.length) * 100)}% allowed)`);

    // 2. In-process transport, 3. NATS.
    await viaClient('in-process request/reply', new InProcessRequestClient(transport), accountIds);
    const nats = new NatsRequestClient({ servers: '127.0.0.1:4222', prefix });
    await viaClient('NATS request/reply', nats, accountIds);

    await nats.close();
    await natsApp.close();
    await localApp.close();
  } finally {
    await store.close();
    await sql.close();
    await dropDatabase(databaseUrl);
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
