import type { SqlClient } from './sql-client';

/** The position a named consumer has processed up to; 0 when it never wrote one. */
export async function readCheckpoint(sql: SqlClient, name: string): Promise<number> {
  const { rows } = await sql.query<{ position: number }>('SELECT position FROM checkpoints WHERE name = $1', [name]);
  return rows[0]?.position ?? 0;
}

/**
 * Records a consumer's position. Pass the transaction client that writes the consumer's effects
 * (e.g. a read model) so effects and checkpoint commit together: exactly-once effect on replay.
 */
export async function writeCheckpoint(sql: SqlClient, name: string, position: number): Promise<void> {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`Checkpoint position must be a non-negative safe integer, got ${position}`);
  }
  await sql.query(
    `INSERT INTO checkpoints (name, position, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
    [name, position],
  );
}
