import { SCHEMA_LOCK_CLASS } from './advisory-locks';
import { APPEND_FUNCTION_SQL } from './append';
import type { SqlClient } from './sql-client';

const statements = [
  `CREATE TABLE IF NOT EXISTS events (
     -- pg_current_xact_id() * 65536 + index of the event in its append (see global-position.ts)
     global_position bigint PRIMARY KEY,
     event_id        text NOT NULL,
     stream_id       text NOT NULL,
     stream_position bigint NOT NULL CHECK (stream_position >= 0),
     type            text NOT NULL,
     schema_version  integer NOT NULL,
     data            jsonb NOT NULL,
     metadata        jsonb NOT NULL,
     recorded_at     timestamptz NOT NULL DEFAULT now(),
     CONSTRAINT events_event_id_key UNIQUE (event_id),
     -- the last line of defence of optimistic concurrency: two events can never share a version
     CONSTRAINT events_stream_position_key UNIQUE (stream_id, stream_position)
   )`,
  // readEvents by account (the audit log and export) in global order, without scanning the log.
  `CREATE INDEX IF NOT EXISTS events_account_idx ON events ((metadata->>'accountId'), global_position)`,
  `CREATE TABLE IF NOT EXISTS checkpoints (
     name       text PRIMARY KEY,
     position   bigint NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  APPEND_FUNCTION_SQL,
];

/**
 * Creates the event store tables if missing and (re)creates the append function (append.ts).
 * Idempotent; safe when several processes start at once: concurrent CREATE TABLE IF NOT EXISTS
 * can still fail on the catalog's unique indexes, so the statements run under a
 * transaction-scoped advisory lock.
 */
export async function ensureEventStoreSchema(sql: SqlClient): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, 0)', [SCHEMA_LOCK_CLASS]);
    for (const statement of statements) await tx.query(statement);
  });
}

/**
 * Runs a read model's or a service's table set-up (`CREATE … IF NOT EXISTS`) under the schema's
 * advisory lock, in one transaction. Two replicas starting at once otherwise race on the same
 * CREATE and one fails on the catalog's unique index (`pg_type_typname_nsp_index`): IF NOT EXISTS
 * is not atomic in PostgreSQL.
 */
export async function setUpSerialized(sql: SqlClient, setUp: (tx: SqlClient) => Promise<void>): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, 1)', [SCHEMA_LOCK_CLASS]);
    await setUp(tx);
  });
}
