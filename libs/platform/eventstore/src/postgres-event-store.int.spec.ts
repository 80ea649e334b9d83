import { randomBytes } from 'node:crypto';
import { createSqlClient } from './create-sql-client';
import { dropDatabase, ensureDatabase } from './database-admin';
import { acceptAnyEvent } from './event-validation';
import { createEventStore } from './postgres-event-store';
import { describeEventStoreContract } from './testing/event-store.contract';

// A throwaway database per run. (@accord/testing's createTestDatabase does the same, but that lib
// depends on this one, so using it here would make a dependency cycle.)
// The generic contract appends test event types, so these stores accept any event; the Accord
// schema validation every production store does is covered by validating-event-store.int.spec.ts.
const SERVER_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432';

describeEventStoreContract('PostgreSQL (pg)', async () => {
  const url = new URL(SERVER_URL);
  url.pathname = `/accord_test_eventstore_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  const sql = await createSqlClient({ databaseUrl, poolSize: 20 });
  const store = await createEventStore(sql, { validateEvent: acceptAnyEvent });
  return {
    store,
    sql,
    async teardown() {
      await store.close();
      await sql.close();
      await dropDatabase(databaseUrl);
    },
  };
});

describeEventStoreContract('PGlite (embedded)', async () => {
  const sql = await createSqlClient({});
  const store = await createEventStore(sql, { validateEvent: acceptAnyEvent });
  return {
    store,
    sql,
    async teardown() {
      await store.close();
      await sql.close();
    },
  };
});
