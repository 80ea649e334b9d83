import { randomBytes, randomUUID } from 'node:crypto';
import { EVENT_EXAMPLES, streams, type EventEnvelope } from '@accord/contracts';
import { createSqlClient } from './create-sql-client';
import { dropDatabase, ensureDatabase } from './database-admin';
import type { EventStore } from './event-store';
import { TRANSACTION_BASE_POSITION_SQL } from './global-position';
import { createEventStore } from './postgres-event-store';
import type { SqlClient } from './sql-client';

// Issue 11 "Event schema evolution": an AccessShared stored at schemaVersion 1 (before `sharedAt`
// existed) is read at version 2 by every read of the store, while the stored row stays as written.
// A throwaway database as in validating-event-store.int.spec.ts (@accord/testing's
// createTestDatabase / createTestPglite would make a dependency cycle: that lib depends on this one).
const SERVER_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432';

const { sharedAt: _sharedAt, ...accessSharedV1 } = EVENT_EXAMPLES.AccessShared;
const OCCURRED_AT = '2024-06-30T08:15:00.000Z';

describe.each([
  ['PostgreSQL (pg)', 'pg'],
  ['PGlite (embedded)', 'pglite'],
] as const)('reading events stored at an older schema version: %s', (_name, driver) => {
  let sql: SqlClient;
  let store: EventStore;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    if (driver === 'pg') {
      const url = new URL(SERVER_URL);
      url.pathname = `/accord_test_upcast_${randomBytes(4).toString('hex')}`;
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

  /** Stores an AccessShared as a version 1 writer did: straight into the table, no sharedAt. */
  const storeV1AccessShared = async (): Promise<{ streamId: string; eventId: string }> => {
    const accountId = randomUUID();
    const streamId = streams.access(accountId);
    const eventId = randomUUID();
    await sql.query(
      `INSERT INTO events (global_position, event_id, stream_id, stream_position, type, schema_version, data, metadata)
       VALUES (${TRANSACTION_BASE_POSITION_SQL}, $1, $2, 0, 'AccessShared', 1, $3, $4)`,
      [
        eventId,
        streamId,
        JSON.stringify({ ...accessSharedV1, accountId }),
        JSON.stringify({
          accountId,
          actor: { userId: accessSharedV1.sharedBy, via: 'session' },
          correlationId: randomUUID(),
          causationId: null,
          occurredAt: OCCURRED_AT,
        }),
      ],
    );
    return { streamId, eventId };
  };

  const expectUpcast = (event: EventEnvelope | undefined, eventId: string): void => {
    expect(event).toMatchObject({ id: eventId, type: 'AccessShared', schemaVersion: 2, occurredAt: OCCURRED_AT });
    expect(event!.data).toEqual({ ...accessSharedV1, accountId: event!.accountId, sharedAt: OCCURRED_AT });
  };

  it('readStream, readAll and readEvents return a version 1 AccessShared at version 2, sharedAt = occurredAt', async () => {
    const before = await store.headPosition();
    const { streamId, eventId } = await storeV1AccessShared();

    expectUpcast((await store.readStream(streamId))[0], eventId);
    expectUpcast(
      (await store.readAll(before, 1000)).find((e) => e.id === eventId),
      eventId,
    );
    expectUpcast((await store.readEvents({ streamId, limit: 10 }))[0], eventId);
  });

  it('a subscription delivers it upcast too (what projections, reactors and the relay to NATS read)', async () => {
    const before = await store.headPosition();
    const { eventId } = await storeV1AccessShared();
    let subscription: { close(): Promise<void> } | undefined;
    const delivered = new Promise<EventEnvelope>((resolve) => {
      subscription = store.subscribeAll(before, async (event) => {
        if (event.id === eventId) resolve(event);
      });
    });
    try {
      expectUpcast(await delivered, eventId);
    } finally {
      await subscription?.close();
    }
  });

  it('never rewrites the stored row: it stays at version 1 without sharedAt', async () => {
    const { eventId } = await storeV1AccessShared();
    await store.readAll(0, 1000);
    const { rows } = await sql.query<{ schema_version: number; data: Record<string, unknown> }>(
      'SELECT schema_version, data FROM events WHERE event_id = $1',
      [eventId],
    );
    expect(rows[0]!.schema_version).toBe(1);
    expect(rows[0]!.data).not.toHaveProperty('sharedAt');
  });

  it('writes a new AccessShared at version 2 with its sharedAt, and reads it back unchanged', async () => {
    const accountId = randomUUID();
    const streamId = streams.access(accountId);
    const data = { ...EVENT_EXAMPLES.AccessShared, accountId };
    const eventId = randomUUID();
    await store.append(
      streamId,
      [
        {
          id: eventId,
          type: 'AccessShared',
          data,
          metadata: {
            accountId,
            actor: { userId: data.sharedBy, via: 'session' },
            correlationId: randomUUID(),
            causationId: null,
            occurredAt: OCCURRED_AT,
          },
        },
      ],
      'no_stream',
    );
    const { rows } = await sql.query<{ schema_version: number }>(
      'SELECT schema_version FROM events WHERE event_id = $1',
      [eventId],
    );
    expect(rows[0]!.schema_version).toBe(2);
    const [read] = await store.readStream(streamId);
    expect(read).toMatchObject({ schemaVersion: 2, data });
  });
});
