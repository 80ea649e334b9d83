import type { SqlClient } from './sql-client';

/**
 * A nested `transaction` on a transaction client: a savepoint, so the inner work rolls back alone
 * when it throws and the outer transaction can go on.
 */
export async function withSavepoint<T>(tx: SqlClient, name: string, work: (tx: SqlClient) => Promise<T>): Promise<T> {
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await work(tx);
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}
