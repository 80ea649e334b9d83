import { STREAM_LOCK_CLASS } from './advisory-locks';
import { actualVersion, satisfies, validateAppend } from './append-validation';
import { WrongExpectedVersionError, type AppendResult, type ExpectedVersion, type NewEvent } from './event-store';
import { validateAccordEvent, type EventValidator } from './event-validation';
import { TRANSACTION_BASE_POSITION_SQL } from './global-position';
import type { SqlClient } from './sql-client';

/** NOTIFY channel of appends; sent on commit, it wakes live subscriptions (which also poll). */
export const EVENTS_CHANNEL = 'accord_events';

interface StreamStateRow {
  readonly version: number | null;
  readonly last_position: number | null;
  readonly has_written: boolean;
  readonly event_id: string | null;
  readonly stream_id: string | null;
  readonly stream_position: number | null;
  readonly global_position: number | null;
}

/**
 * Appends `events` to `streamId` inside the caller's transaction `tx` (READ COMMITTED, the
 * default). It must be the first write of that transaction, and there is at most one append per
 * transaction: the transaction id is the events' global position (global-position.ts). Use it to
 * commit an append together with other writes; `EventStore.append` is this in its own transaction.
 * Every event is validated by `validateEvent` first (Accord's schemas unless told otherwise): a
 * violation throws `EventSchemaViolation` before any SQL runs.
 */
export async function appendWithin(
  tx: SqlClient,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
  validateEvent: EventValidator = validateAccordEvent,
): Promise<AppendResult> {
  validateAppend(streamId, events, expected, validateEvent);

  // One appender per stream at a time, so the version check below and the insert cannot
  // interleave with a concurrent appender: the loser waits here, then reads the winner's version
  // (each READ COMMITTED statement takes a fresh snapshot) and gets a WrongExpectedVersionError
  // with the true `actual`. An advisory lock assigns no transaction id, so waiting here does not
  // hold readers back. The unique (stream_id, stream_position) constraint stays as a backstop.
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [STREAM_LOCK_CLASS, streamId]);

  const state = await readStreamState(tx, streamId, events);
  if (state.hasWritten) {
    throw new Error(
      `appendWithin(${streamId}) must be the first write of its transaction (one append per transaction): ` +
        'the transaction id is the events’ global position',
    );
  }

  const repeated = repeatedAppendResult(streamId, events, state.stored);
  if (repeated) return repeated;

  if (!satisfies(expected, state.version)) {
    throw new WrongExpectedVersionError(streamId, expected, actualVersion(state.version));
  }
  if (events.length === 0) return { nextExpectedVersion: state.version, lastPosition: state.lastPosition };

  try {
    return await insertEvents(tx, streamId, events, state.version);
  } catch (error) {
    throw translateInsertError(error, streamId, expected, state.version);
  }
}

interface StoredEventRef {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly globalPosition: number;
}

/** The stream's version (-1 when it does not exist) and which of the call's ids are stored. */
async function readStreamState(tx: SqlClient, streamId: string, events: readonly NewEvent[]) {
  const { rows } = await tx.query<StreamStateRow>(
    `WITH head AS (
       SELECT stream_position, global_position FROM events
       WHERE stream_id = $1 ORDER BY stream_position DESC LIMIT 1
     )
     SELECT (SELECT stream_position FROM head) AS version,
            (SELECT global_position FROM head) AS last_position,
            pg_current_xact_id_if_assigned() IS NOT NULL AS has_written,
            stored.event_id, stored.stream_id, stored.stream_position, stored.global_position
     FROM (SELECT 1) AS one
     LEFT JOIN events AS stored ON stored.event_id IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    [streamId, JSON.stringify(events.map((event) => event.id))],
  );
  const first = rows[0];
  const stored: StoredEventRef[] = rows.flatMap((row) =>
    row.event_id === null
      ? []
      : [
          {
            eventId: row.event_id,
            streamId: row.stream_id!,
            streamPosition: row.stream_position!,
            globalPosition: row.global_position!,
          },
        ],
  );
  return {
    version: first?.version ?? -1,
    lastPosition: first?.last_position ?? 0,
    hasWritten: first?.has_written ?? false,
    stored,
  };
}

/**
 * Idempotent retries: when every event of the call is already stored in this stream, the append
 * already happened (e.g. its reply was lost), so it succeeds again with the stored positions
 * and without checking `expected` (the stream has moved on since). A partial overlap, or ids
 * stored in another stream, is a different append reusing ids: a caller bug, never silently merged.
 */
function repeatedAppendResult(
  streamId: string,
  events: readonly NewEvent[],
  stored: readonly StoredEventRef[],
): AppendResult | null {
  if (stored.length === 0) return null;
  const elsewhere = stored.filter((event) => event.streamId !== streamId);
  if (elsewhere.length > 0) {
    throw new Error(
      `Cannot append to ${streamId}: event id(s) ${elsewhere.map((event) => `${event.eventId} (in ${event.streamId})`).join(', ')} are already stored in another stream`,
    );
  }
  if (stored.length < events.length) {
    const storedIds = new Set(stored.map((event) => event.eventId));
    throw new Error(
      `Cannot append to ${streamId}: event id(s) ${[...storedIds].join(', ')} are already stored but ` +
        `${events
          .filter((event) => !storedIds.has(event.id))
          .map((event) => event.id)
          .join(', ')} are not; ` +
        'a retried append must repeat exactly the stored events',
    );
  }
  return {
    nextExpectedVersion: Math.max(...stored.map((event) => event.streamPosition)),
    lastPosition: Math.max(...stored.map((event) => event.globalPosition)),
  };
}

/** One statement for all events (atomic by itself) plus the NOTIFY, which PostgreSQL sends on commit. */
async function insertEvents(
  tx: SqlClient,
  streamId: string,
  events: readonly NewEvent[],
  version: number,
): Promise<AppendResult> {
  const payload = events.map((event) => ({
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    data: event.data ?? null,
    metadata: { ...event.metadata, occurredAt: new Date(event.metadata.occurredAt).toISOString() },
  }));
  const { rows } = await tx.query<{ version: number; last_position: number }>(
    `WITH appended AS (
       INSERT INTO events (global_position, event_id, stream_id, stream_position, type, schema_version, data, metadata)
       SELECT ${TRANSACTION_BASE_POSITION_SQL} + (e.ordinality - 1),
              e.value->>'id', $1, $2::bigint + e.ordinality, e.value->>'type',
              (e.value->>'schemaVersion')::integer, e.value->'data', e.value->'metadata'
       FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(value, ordinality)
       RETURNING global_position, stream_position
     )
     SELECT max(stream_position) AS version, max(global_position) AS last_position, pg_notify($4, '') AS notified
     FROM appended`,
    [streamId, version, JSON.stringify(payload), EVENTS_CHANNEL],
  );
  const result = rows[0]!;
  return { nextExpectedVersion: result.version, lastPosition: result.last_position };
}

/** Unique violations are expected outcomes of races; they must not escape as raw driver errors. */
function translateInsertError(error: unknown, streamId: string, expected: ExpectedVersion, version: number): unknown {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code !== '23505') return error;
  switch (constraint) {
    case 'events_stream_position_key':
      // Unreachable under the stream lock in READ COMMITTED; a caller transaction in REPEATABLE
      // READ can still read a stale version. The stream is at least one version further.
      return new WrongExpectedVersionError(streamId, expected, version + 1);
    case 'events_event_id_key':
      return new Error(
        `Cannot append to ${streamId}: an event id of this append was stored concurrently by another append`,
      );
    case 'events_pkey':
      return new Error(`Cannot append to ${streamId}: this transaction already appended (one append per transaction)`);
    default:
      return error;
  }
}
