import { createTestDatabase } from '@accord/testing';

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
