import { randomBytes } from 'node:crypto';
import { createSqlClient } from './create-sql-client';
import { dropDatabase, ensureDatabase } from './database-admin';

// A throwaway database (not @accord/testing's: that lib depends on this one).
const SERVER_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
async function createTestDatabase(prefix: string) {
  const url = new URL(SERVER_URL);
  url.pathname = `/${prefix}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  const sql = await createSqlClient({ databaseUrl, poolSize: 4 });
  return {
    sql,
    async drop() {
      await sql.close().catch(() => undefined);
      await dropDatabase(databaseUrl);
    },
  };
}

// Drill "PostgreSQL restart -m fast": services crashed on "Connection terminated unexpectedly"
// when PostgreSQL went away while a transaction held its connection between two statements.
describe('PgSqlClient when PostgreSQL ends a connection inside a transaction', () => {
  it('the transaction fails, the process lives on, and the next query works', async () => {
    const database = await createTestDatabase('accord_pgclient');
    const admin = await createTestDatabase('accord_pgclient_admin');
    try {
      const crashes: unknown[] = [];
      const onUncaught = (error: unknown): void => void crashes.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        const transaction = database.sql.transaction(async (tx) => {
          const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          // As a restart does: the server ends this session while the transaction waits on us.
          await admin.sql.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
          await new Promise((resolve) => setTimeout(resolve, 300));
          await tx.query('SELECT 1');
        });
        await expect(transaction).rejects.toThrow();
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(crashes).toEqual([]);
        await expect(database.sql.query('SELECT 1 AS one')).resolves.toEqual({ rows: [{ one: 1 }] });
      } finally {
        process.removeListener('uncaughtException', onUncaught);
      }
    } finally {
      await admin.drop();
      await database.drop();
    }
  });
});
