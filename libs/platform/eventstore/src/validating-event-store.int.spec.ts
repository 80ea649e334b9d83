import { randomBytes, randomUUID } from 'node:crypto';
import { EVENT_EXAMPLES, streams } from '@accord/contracts';
import { appendWithin } from './append';
import { createSqlClient } from './create-sql-client';
import { dropDatabase, ensureDatabase } from './database-admin';
import type { EventStore, NewEvent } from './event-store';
import { EventSchemaViolation } from './event-validation';
import { createEventStore } from './postgres-event-store';
import type { SqlClient } from './sql-client';

// Issue 8 rule 2: the store Accord composes (createEventStore's default, as embedded.ts and
// service-process.ts use it) refuses a malformed event, and an append is atomic: a batch with one
// malformed event stores none of its events.
const SERVER_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432';

const ACCOUNT = EVENT_EXAMPLES.AccountCreated.accountId;
const event = (type: string, data: unknown): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: {
    accountId: ACCOUNT,
    actor: { userId: 'auth0|owner', via: 'session' },
    correlationId: randomUUID(),
    causationId: null,
    occurredAt: new Date().toISOString(),
  },
});

describe.each([
  ['PostgreSQL (pg)', 'pg'],
  ['PGlite (embedded)', 'pglite'],
] as const)('validating event store: %s', (_name, driver) => {
  let sql: SqlClient;
  let store: EventStore;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    if (driver === 'pg') {
      const url = new URL(SERVER_URL);
      url.pathname = `/accord_test_validating_${randomBytes(4).toString('hex')}`;
      databaseUrl = url.toString();
      await ensureDatabase(databaseUrl);
      sql = await createSqlClient({ databaseUrl, poolSize: 4 });
    } else {
      sql = await createSqlClient({});
    }
    store = await createEventStore(sql);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await sql?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  }, 60_000);

  const count = async (): Promise<number> => {
    const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    return rows[0]!.n;
  };

  it('stores valid Accord events', async () => {
    const stream = `account-${randomUUID()}`;
    const result = await store.append(
      stream,
      [event('AccountCreated', EVENT_EXAMPLES.AccountCreated), event('MemberJoined', EVENT_EXAMPLES.MemberJoined)],
      'no_stream',
    );
    expect(result.nextExpectedVersion).toBe(1);
    expect((await store.readStream(stream)).map((e) => e.data)).toEqual([
      EVENT_EXAMPLES.AccountCreated,
      EVENT_EXAMPLES.MemberJoined,
    ]);
  });

  it('appends nothing of a batch that holds one malformed event (MemberRemoved without userId)', async () => {
    const stream = streams.account(randomUUID());
    const before = await count();
    const { userId: _userId, ...noUser } = EVENT_EXAMPLES.MemberRemoved;
    const batch = [
      event('MemberJoined', EVENT_EXAMPLES.MemberJoined),
      event('RoleChanged', EVENT_EXAMPLES.RoleChanged),
      event('MemberRemoved', noUser),
      event('MemberLeft', EVENT_EXAMPLES.MemberLeft),
    ];
    const failure = await store.append(stream, batch, 'any').then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EventSchemaViolation);
    expect(failure).toMatchObject({ eventType: 'MemberRemoved', eventId: batch[2]!.id });
    expect(await store.readStream(stream)).toEqual([]);
    expect(await count()).toBe(before);
  });

  it('refuses an unknown event type, a NUL in a string, and an extra property', async () => {
    const stream = `account-${randomUUID()}`;
    for (const bad of [
      event('SomethingHappened', { value: 1 }),
      event('MemberLeft', { ...EVENT_EXAMPLES.MemberLeft, email: 'mike\u0000@example.com' }),
      event('MemberLeft', { ...EVENT_EXAMPLES.MemberLeft, admin: true }),
    ]) {
      await expect(store.append(stream, [bad], 'any')).rejects.toBeInstanceOf(EventSchemaViolation);
    }
    expect(await store.readStream(stream)).toEqual([]);
  });

  it('validates appendWithin too, and leaves the caller’s transaction unwritten', async () => {
    const stream = `account-${randomUUID()}`;
    const before = await count();
    await expect(
      sql.transaction(async (tx) => {
        await appendWithin(tx, stream, [event('MemberLeft', { accountId: ACCOUNT })], 'any');
      }),
    ).rejects.toBeInstanceOf(EventSchemaViolation);
    expect(await count()).toBe(before);
  });
});
