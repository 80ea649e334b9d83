import { setUpSerialized, type SqlClient } from '@accord/eventstore';
import type { ConsumerFailure, ConsumerProgress, ConsumerStatus, ConsumerStatusReporter } from '@accord/messaging';
import { Logger } from '@nestjs/common';

/** Longest error message kept: enough to recognise the failure, never a whole stack or payload. */
const MAX_ERROR_LENGTH = 500;

/** A failure as stored, under the consumer's checkpoint name (`projection:…`, `consumer:…`). */
export interface StoredConsumerFailure extends ConsumerFailure {
  readonly name: string;
}

/**
 * The table behind `accord projections status` from another process: the in-memory health
 * registry dies with its process, so a projection or reactor that stops on a bad event also
 * writes a row here, and deletes it when it is started again.
 */
export async function ensureConsumerFailuresTable(sql: SqlClient): Promise<void> {
  await sql.query(`
    CREATE TABLE IF NOT EXISTS consumer_failures (
      name       text PRIMARY KEY,
      event_id   text NOT NULL,
      event_type text NOT NULL,
      position   bigint NOT NULL,
      error      text NOT NULL,
      failed_at  timestamptz NOT NULL
    )`);
}

/** Records that `name` stopped on `failure` (replacing an older failure of the same name). */
export async function recordConsumerFailure(sql: SqlClient, name: string, failure: ConsumerFailure): Promise<void> {
  await sql.query(
    `INSERT INTO consumer_failures (name, event_id, event_type, position, error, failed_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (name) DO UPDATE SET event_id = EXCLUDED.event_id, event_type = EXCLUDED.event_type,
       position = EXCLUDED.position, error = EXCLUDED.error, failed_at = EXCLUDED.failed_at`,
    [name, failure.eventId, failure.eventType, failure.position, truncate(failure.error), failure.since],
  );
}

/** Forgets the failure of `name` (it was started again). */
export async function clearConsumerFailure(sql: SqlClient, name: string): Promise<void> {
  await sql.query(`DELETE FROM consumer_failures WHERE name = $1`, [name]);
}

/** Every recorded failure; none when the table was never created (nothing ever ran or failed). */
export async function readConsumerFailures(sql: SqlClient): Promise<StoredConsumerFailure[]> {
  const { rows: exists } = await sql.query<{ present: boolean }>(
    `SELECT to_regclass('public.consumer_failures') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return [];
  const { rows } = await sql.query<{
    name: string;
    event_id: string;
    event_type: string;
    position: string | number;
    error: string;
    failed_at: Date | string;
  }>(`SELECT name, event_id, event_type, position, error, failed_at FROM consumer_failures ORDER BY name`);
  return rows.map((r) => ({
    name: r.name,
    eventId: r.event_id,
    eventType: r.event_type,
    position: Number(r.position),
    error: r.error,
    since: new Date(r.failed_at).toISOString(),
  }));
}

/**
 * `inner` (the process's health registry), plus the failure persisted under `name` (the
 * consumer's checkpoint name, whatever name its transport reports under): `failed` writes the row,
 * `running` deletes it. The writes are queued in report order and never throw into the consumer:
 * status bookkeeping must not stop a reaction.
 */
export function persistingStatus(sql: SqlClient, name: string, inner?: ConsumerStatusReporter): ConsumerStatusReporter {
  const logger = new Logger('ConsumerFailures');
  let queue: Promise<void> = setUpSerialized(sql, ensureConsumerFailuresTable).catch((error: unknown) =>
    logger.warn(`consumer_failures not created: ${describe(error)}`),
  );
  return {
    report(reportedName: string, status: ConsumerStatus) {
      inner?.report(reportedName, status);
      queue = queue
        .then(() => persistStatus(sql, name, status))
        .catch((error: unknown) => logger.warn(`status of ${name} not recorded: ${describe(error)}`));
    },
    progressed(reportedName: string, progress: ConsumerProgress) {
      inner?.progressed?.(reportedName, progress);
    },
  };
}

/** `failed` → the row; `running` → no row. */
export async function persistStatus(sql: SqlClient, name: string, status: ConsumerStatus): Promise<void> {
  if (status.state === 'failed') {
    const { state: _state, ...failure } = status;
    await recordConsumerFailure(sql, name, failure);
  } else await clearConsumerFailure(sql, name);
}

function truncate(message: string): string {
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
