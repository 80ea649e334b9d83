/**
 * API token verification benchmark (TOK-14: verified from memory): TOKENS tokens issued, then verifications through
 *   1. the in-memory index (hash + look-up: what a verification costs inside the service),
 *   2. the in-process request path (embedded profile), 3. NATS request/reply (services profile).
 * Prints verifications/s and p50/p99. Throwaway database and NATS prefix; bounded in time.
 * Run: npm run bench:token  (TOKENS, VERIFICATIONS, CONCURRENCY)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { subjects } from '@accord/contracts';
import { TokenIndex, ApiTokenServiceModule, hashToken } from '@accord/api-token-service';
import { createEventStore, createSqlClient, dropDatabase, ensureDatabase } from '@accord/eventstore';
import { MembershipServiceModule } from '@accord/membership-service';
import {
  InProcessRequestClient,
  InProcessTransport,
  NatsRequestClient,
  StoreEventConsumer,
  natsServerOptions,
  type RequestClient,
} from '@accord/messaging';
import { ServicesRootModule } from '@accord/service-kit';
import { measureDirect, measureRequests } from './measure';

const TOKENS = Number(process.env['TOKENS'] ?? 10_000);
const VERIFICATIONS = Number(process.env['VERIFICATIONS'] ?? 20_000);
const CONCURRENCY = Number(process.env['CONCURRENCY'] ?? 32);

async function main() {
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/accord_bench_${randomUUID().slice(0, 8)}`;
  const prefix = `bench${randomUUID().slice(0, 6)}`;
  await ensureDatabase(databaseUrl);
  const sql = await createSqlClient({ databaseUrl });
  const store = await createEventStore(sql);
  const transport = new InProcessTransport();
  // The token service asks the membership service (in the local app) whether each user may hold a token.
  const local = new InProcessRequestClient(transport);
  const infrastructure = () => ({ store, sql, consumer: new StoreEventConsumer({ store, sql }), requests: local });
  try {
    const localApp = await NestFactory.createMicroservice(
      ServicesRootModule.forRoot(infrastructure(), [MembershipServiceModule, ApiTokenServiceModule.forRoot()]),
      {
        strategy: transport,
        logger: false,
      },
    );
    await localApp.listen();

    const users = Math.min(500, TOKENS);
    console.log(`creating an account with ${users} members …`);
    const accountId = await membersOf(local, users);
    // Read-your-writes: the membership service answers once it has read every member added above.
    const membersWritten = await store.headPosition();

    console.log(`issuing ${TOKENS} tokens …`);
    const tokens: string[] = [];
    for (let i = 0; i < TOKENS; i++) {
      const userId = `u${i % users}`;
      const reply = await local.send(subjects.token.issue, {
        metadata: { actor: { userId, via: 'session' }, now: new Date().toISOString(), correlationId: randomUUID() },
        payload: { accountId, userId, email: `${userId}@x.io`, name: `t${i}` },
        minPosition: membersWritten,
      });
      if (!reply.ok) throw new Error(reply.error.code);
      tokens.push(reply.value.token);
    }
    const natsApp = await NestFactory.createMicroservice(
      ServicesRootModule.forRoot(infrastructure(), [ApiTokenServiceModule.forRoot()]),
      {
        ...natsServerOptions({ servers: '127.0.0.1:4222', queue: 'bench-token', prefix }),
        logger: false,
      },
    );
    await natsApp.listen();
    const head = await store.headPosition();
    for (const app of [localApp, natsApp]) await app.get(TokenIndex).waitFor(head, 120_000);
    console.log(`indexes caught up; rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);

    const pick = () => tokens[Math.floor(Math.random() * tokens.length)]!;
    const index = localApp.get(TokenIndex);
    measureDirect(
      'in-memory index (hash + look-up)',
      VERIFICATIONS * 5,
      () => index.find(hashToken(pick())),
      'verifications',
    );
    const verify = () => ({ payload: { token: pick() } });
    await measureRequests(
      'in-process request/reply',
      local,
      subjects.token.verify,
      VERIFICATIONS,
      CONCURRENCY,
      verify,
      'verifications',
    );
    const nats = new NatsRequestClient({ servers: '127.0.0.1:4222', prefix });
    await measureRequests(
      'NATS request/reply',
      nats,
      subjects.token.verify,
      VERIFICATIONS,
      CONCURRENCY,
      verify,
      'verifications',
    );

    await nats.close();
    await natsApp.close();
    await localApp.close();
  } finally {
    await store.close();
    await sql.close();
    await dropDatabase(databaseUrl);
  }
}

/** An account owned by u0 with members u1 … u(count-1), through the membership service's subjects. */
async function membersOf(client: RequestClient, count: number): Promise<string> {
  const metadata = () => ({
    actor: { userId: 'u0', via: 'session' as const },
    now: new Date().toISOString(),
    correlationId: randomUUID(),
  });
  const created = await client.send(subjects.membership.createAccount, {
    metadata: metadata(),
    payload: { name: 'Bench', owner: { userId: 'u0', email: 'u0@x.io' } },
  });
  if (!created.ok) throw new Error(created.error.code);
  const accountId = created.value.id;
  for (let i = 1; i < count; i++) {
    const joined = await client.send(subjects.membership.addMember, {
      metadata: metadata(),
      payload: {
        accountId,
        userId: `u${i}`,
        email: `u${i}@x.io`,
        role: 'administrator',
        scope: { type: 'global' },
        accessId: randomUUID(),
        invitationId: randomUUID(),
      },
    });
    if (!joined.ok) throw new Error(joined.error.code);
  }
  return accountId;
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
