import { randomBytes } from 'node:crypto';
import { createSqlClient, dropDatabase, ensureDatabase, type SqlClient } from '@accord/eventstore';

/** The machine's PostgreSQL (loopback, trust auth); override with TEST_POSTGRES_URL. */
const SERVER_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432';

export interface TestDatabase {
  /** postgres:// URL of the fresh database (hand it to code under test). */
  readonly url: string;
  /** A pg SqlClient on it. */
  readonly sql: SqlClient;
  /** Closes `sql` and drops the database, disconnecting anything still connected. */
  drop(): Promise<void>;
}

/** Creates a uniquely named database, so test runs and parallel suites never share state. */
export async function createTestDatabase(prefix = 'accord_test'): Promise<TestDatabase> {
  const url = new URL(SERVER_URL);
  url.pathname = `/${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  const sql = await createSqlClient({ databaseUrl, poolSize: 20 });
  return {
    url: databaseUrl,
    sql,
    async drop() {
      await sql.close().catch(() => undefined);
      await dropDatabase(databaseUrl);
    },
  };
}

/** An in-memory PGlite SqlClient (the embedded profile's engine); close it when done. */
export function createTestPglite(): Promise<SqlClient> {
  return createSqlClient({});
}

/** A transaction left running on `sql` (see `holdReadersBack`); `release` ends it and waits. */
export interface HeldTransaction {
  release(): Promise<void>;
}

/**
 * Begins a transaction that takes a transaction id and stays open until released: until then no
 * reader of the event store on this server sees an event committed after it began (the readers'
 * horizon, global-position.ts), though the event is committed. Resolves once it holds.
 */
export async function holdReadersBack(sql: SqlClient): Promise<HeldTransaction> {
  let holding = (): void => undefined;
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const ended = sql.transaction(async (tx) => {
    await tx.query('SELECT pg_current_xact_id()');
    holding();
    await released;
  });
  await Promise.race([held, ended]);
  return {
    async release() {
      release();
      await ended;
    },
  };
}
