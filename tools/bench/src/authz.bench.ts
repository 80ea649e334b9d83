/**
 * Authorization check benchmark, what one check costs on each path: 100k memberships loaded, then checks answered
 *   0. by the pure evaluator alone (membership domain), on one account folded in memory,
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
import { streams, subjects, type AuthzCheckPayload, type MembershipEvent } from '@accord/contracts';
import { createEventStore, createSqlClient, dropDatabase, ensureDatabase, type NewEvent } from '@accord/eventstore';
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
const PERMISSIONS = ['vps:manage', 'billing:read', 'users:manage', 'dns:read', 'project:manage'];
const ROLES = ['administrator', 'accountant', 'read-only'] as const;

const meta = () => ({
  accountId: null,
  actor: { userId: 'bench', via: 'system' as const },
  correlationId: randomUUID(),
  causationId: null,
  occurredAt: new Date().toISOString(),
});

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
