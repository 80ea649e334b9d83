import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { subjects, type CommandRequest, type IssueTokenPayload } from '@accord/contracts';
import { createEventStore, type EventStore, type SqlClient } from '@accord/eventstore';
import { InProcessRequestClient, InProcessTransport, StoreEventConsumer } from '@accord/messaging';
import { ServicesRootModule } from '@accord/service-kit';
import { createTestDatabase } from '@accord/testing';
import { ApiTokenServiceModule } from '@accord/api-token-service';
import { startMembershipService, type Members } from '@accord/membership-service';

// The token service on the real PostgreSQL, driven through its request/reply handlers.
describe('token verification (real PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: EventStore;
  let app: INestMicroservice;
  let membershipApp: INestMicroservice;
  let membershipStore: EventStore;
  let members: Members;
  let accountId: string;
  let client: InProcessRequestClient;
  let queries = 0;
  let databaseForbidden = false;

  beforeAll(async () => {
    db = await createTestDatabase('accord_tokens');
    // Count every statement the service sends, to prove which paths never reach the database.
    const counting: SqlClient = {
      kind: db.sql.kind,
      query: (text, params) => {
        queries++;
        if (databaseForbidden) return Promise.reject(new Error('the database was touched'));
        return db.sql.query(text, params);
      },
      transaction: (work) => {
        queries++;
        if (databaseForbidden) return Promise.reject(new Error('the database was touched'));
        return db.sql.transaction(work);
      },
      close: () => db.sql.close(),
    };
    store = await createEventStore(counting);
    // The membership service (the token's user must be a member) counts apart: its own connection.
    membershipStore = await createEventStore(db.sql);
    const membership = await startMembershipService(membershipStore, db.sql);
    ({ app: membershipApp, members } = membership);
    accountId = await members.account();
    await members.join(accountId, 'u1');
    const transport = new InProcessTransport();
    app = await NestFactory.createMicroservice(
      ServicesRootModule.forRoot(
        {
          store,
          sql: counting,
          consumer: new StoreEventConsumer({ store, sql: counting }),
          requests: membership.requests,
        },
        [ApiTokenServiceModule.forRoot({ lastUsedFlushMs: 60_000 })],
      ),
      { strategy: transport, logger: false },
    );
    await app.listen();
    client = new InProcessRequestClient(transport);
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await membershipApp?.close();
    await membershipStore?.close();
    await store?.close();
    await db?.drop();
  });

  const issue = async () => {
    const request: CommandRequest<IssueTokenPayload> = {
      metadata: { actor: { userId: 'u1', via: 'session' }, now: new Date().toISOString(), correlationId: randomUUID() },
      payload: { accountId, userId: 'u1', email: 'u1@example.com', name: 'CI' },
      minPosition: members.position,
    };
    const reply = await client.send(subjects.token.issue, request);
    if (!reply.ok) throw new Error(reply.error.code);
    return reply.value;
  };
  const verify = (token: string, minPosition?: number) =>
    client.send(subjects.token.verify, { payload: { token }, ...(minPosition ? { minPosition } : {}) });

  it('a valid token verifies from memory, and 1000 verifications add no event and no query', async () => {
    const issued = await issue();
    expect((await verify(issued.token, issued.position)).ok).toBe(true);
    const head = await store.committedHeadPosition();
    const before = queries;
    // Background polling of the subscriptions also queries; measure verification alone by
    // comparing against the same time spent idle.
    const started = Date.now();
    for (let i = 0; i < 1000; i++) expect((await verify(issued.token)).ok).toBe(true);
    const busy = queries - before;
    const elapsed = Date.now() - started;
    const idleBefore = queries;
    await new Promise((resolve) => setTimeout(resolve, elapsed));
    const idle = queries - idleBefore;
    expect(busy).toBeLessThanOrEqual(idle + 5);
    expect(await store.committedHeadPosition()).toBe(head);
  });

  it('a tampered checksum is rejected without touching the store', async () => {
    const issued = await issue();
    const tampered = issued.token.slice(0, -1) + (issued.token.endsWith('a') ? 'b' : 'a');
    // While this runs, any statement fails: had verification looked anything up, the answer
    // would be `unavailable`, not the format's own `token.invalid`.
    databaseForbidden = true;
    try {
      const replies = await Promise.all(Array.from({ length: 200 }, () => verify(tampered)));
      for (const reply of replies)
        expect(reply).toEqual({
          ok: false,
          error: expect.objectContaining({ kind: 'unauthenticated', code: 'token.invalid' }),
        });
    } finally {
      databaseForbidden = false;
    }
    // The genuine token still verifies: the rejection was about the checksum alone.
    expect((await verify(issued.token, issued.position)).ok).toBe(true);
  });

  it('no stored event holds the secret', async () => {
    const issued = await issue();
    const events = await store.readStream(`token-${issued.id}`);
    expect(JSON.stringify(events)).not.toContain(issued.token);
    expect(JSON.stringify(events)).toContain(issued.token.slice(0, 8));
  });
});
