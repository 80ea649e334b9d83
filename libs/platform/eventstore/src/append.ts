import { STREAM_LOCK_CLASS } from './advisory-locks';
import { actualVersion, validateAppend } from './append-validation';
import { WrongExpectedVersionError, type AppendResult, type ExpectedVersion, type NewEvent } from './event-store';
import { storedSchemaVersion, validateAccordEvent, type EventValidator } from './event-validation';
import { TRANSACTION_BASE_POSITION_SQL } from './global-position';
import { parseSafeInt8 } from './safe-integer';
import type { SqlClient } from './sql-client';

/** NOTIFY channel of appends; sent on commit, it wakes live subscriptions (which also poll). */
export const EVENTS_CHANNEL = 'accord_events';

/**
 * The whole append in ONE statement: `SELECT * FROM accord_append(…)`, created with the schema.
 * Under a per-stream advisory lock (one appender per stream at a time, so the version check and
 * the insert cannot interleave with a concurrent appender: the loser waits, then reads the
 * winner's version, each statement of a VOLATILE function in READ COMMITTED taking a fresh
 * snapshot, and reports the true actual version; an advisory lock assigns no transaction id, so
 * waiting does not hold readers back), it
 *  1. refuses to run after a write of the same transaction (`not_first`: the transaction id is the
 *     events' global position, so the append must be the first write and there is one per
 *     transaction; in autocommit the statement is its transaction);
 *  2. returns the stored copies of any of the call's event ids (`stored`), writing nothing: the
 *     caller decides between an idempotent retry and a misuse (repeatedAppendResult);
 *  3. checks the expected version against the stream's head (`conflict`, with the head);
 *  4. inserts all events in one INSERT (atomic), numbered from the transaction id
 *     (global-position.ts) and from the head, and with `p_notify` queues the NOTIFY that
 *     PostgreSQL sends on commit. A NOTIFY serializes the commits of all notifying transactions
 *     (PostgreSQL holds a cluster-wide lock from before its commit record until after its WAL
 *     flush), which defeats group commit: concurrent appends on a server therefore commit without
 *     it and announce themselves afterwards (AppendAnnouncer).
 * Outcomes are rows, not exceptions, so nothing needs a subtransaction. The unique
 * (stream_id, stream_position) constraint stays the backstop (translateInsertError).
 * Expected versions travel as bigints: a version >= 0, or one of the EXPECTED_* codes below.
 */
const EXPECTED_NO_STREAM = -1;
const EXPECTED_ANY = -2;
const EXPECTED_EXISTS = -3;

export const APPEND_FUNCTION_SQL = `
CREATE OR REPLACE FUNCTION accord_append(
  p_stream_id text, p_expected bigint, p_event_ids text[], p_events jsonb, p_notify boolean,
  OUT status text, OUT version bigint, OUT last_position bigint, OUT stored jsonb
) LANGUAGE plpgsql VOLATILE AS $accord_append$
DECLARE
  base bigint;
  n integer := cardinality(p_event_ids);
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    status := 'not_first';
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(p_stream_id));

  SELECT jsonb_agg(jsonb_build_object('eventId', e.event_id, 'streamId', e.stream_id,
           'streamPosition', e.stream_position, 'globalPosition', e.global_position::text))
    INTO stored FROM events AS e WHERE e.event_id = ANY (p_event_ids);
  IF stored IS NOT NULL THEN
    status := 'stored';
    RETURN;
  END IF;

  SELECT e.stream_position, e.global_position INTO version, last_position
    FROM events AS e WHERE e.stream_id = p_stream_id ORDER BY e.stream_position DESC LIMIT 1;
  IF NOT FOUND THEN
    version := -1;
    last_position := 0;
  END IF;
  IF NOT (p_expected = ${EXPECTED_ANY} OR p_expected = version
          OR (p_expected = ${EXPECTED_NO_STREAM} AND version < 0)
          OR (p_expected = ${EXPECTED_EXISTS} AND version >= 0)) THEN
    status := 'conflict';
    RETURN;
  END IF;
  status := 'appended';
  IF n = 0 THEN
    RETURN;
  END IF;

  base := ${TRANSACTION_BASE_POSITION_SQL};
  INSERT INTO events (global_position, event_id, stream_id, stream_position, type, schema_version, data, metadata)
  SELECT base + (e.ordinality - 1), p_event_ids[e.ordinality], p_stream_id, version + e.ordinality,
         e.value->>'type', (e.value->>'schemaVersion')::integer, e.value->'data', e.value->'metadata'
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ordinality);
  IF p_notify THEN
    PERFORM pg_notify('${EVENTS_CHANNEL}', '');
  END IF;
  version := version + n;
  last_position := base + (n - 1);
END
$accord_append$`;

interface AppendRow {
  readonly status: 'not_first' | 'stored' | 'conflict' | 'appended';
  readonly version: number | null;
  readonly last_position: number | null;
  readonly stored: readonly StoredJson[] | null;
}

interface StoredJson {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly globalPosition: string;
}

/**
 * Appends `events` to `streamId` inside the caller's transaction `tx` (READ COMMITTED, the
 * default). It must be the first write of that transaction, and there is at most one append per
 * transaction: the transaction id is the events' global position (global-position.ts). Use it to
 * commit an append together with other writes; `EventStore.append` is the same statement in
 * autocommit. Every event is validated by `validateEvent` first (Accord's schemas unless told
 * otherwise): a violation throws `EventSchemaViolation` before any SQL runs.
 */
export async function appendWithin(
  tx: SqlClient,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
  validateEvent: EventValidator = validateAccordEvent,
): Promise<AppendResult> {
  validateAppend(streamId, events, expected, validateEvent);
  return appendValidated(tx, streamId, events, expected, { notify: true });
}

/**
 * The append of already validated events: one round trip (see APPEND_FUNCTION_SQL). On `sql`
 * outside a transaction the statement is its own transaction, so the append commits by itself.
 * `notify`: NOTIFY listeners on commit; without it the caller announces the append itself.
 */
export async function appendValidated(
  sql: SqlClient,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
  options: { readonly notify: boolean },
): Promise<AppendResult> {
  const payload = events.map((event) => ({
    type: event.type,
    schemaVersion: storedSchemaVersion(event),
    data: event.data ?? null,
    metadata: { ...event.metadata, occurredAt: new Date(event.metadata.occurredAt).toISOString() },
  }));
  let row: AppendRow;
  try {
    const { rows } = await sql.query<AppendRow>('SELECT * FROM accord_append($1, $2, $3, $4, $5)', [
      streamId,
      encodeExpected(expected),
      events.map((event) => event.id),
      JSON.stringify(payload),
      options.notify,
    ]);
    row = rows[0]!;
  } catch (error) {
    throw translateInsertError(error, streamId, expected);
  }
  switch (row.status) {
    case 'appended':
      return { nextExpectedVersion: row.version!, lastPosition: row.last_position! };
    case 'conflict':
      throw new WrongExpectedVersionError(streamId, expected, actualVersion(row.version!));
    case 'stored':
      return repeatedAppendResult(streamId, events, row.stored!.map(storedRef));
    case 'not_first':
      throw new Error(
        `appendWithin(${streamId}) must be the first write of its transaction (one append per transaction): ` +
          'the transaction id is the events’ global position',
      );
  }
}

/**
 * Announces autocommitted appends to listeners in other processes, after their commit. Every
 * append is followed by a NOTIFY sent after its commit, but a burst of appends shares them: at
 * most one NOTIFY in flight, at most one every ANNOUNCE_SPACING_MS (the first at once). The
 * NOTIFY writes nothing, so its transaction commits without waiting for a WAL flush
 * (synchronous_commit off for that transaction only). A lost NOTIFY costs only latency:
 * subscriptions also poll.
 */
export class AppendAnnouncer {
  private pending = false;
  private sending: Promise<void> | null = null;
  private lastSentAt = -Infinity;

  constructor(private readonly sql: SqlClient) {}

  announce(): void {
    if (this.pending) return; // a NOTIFY not sent yet covers this append too
    this.pending = true;
    this.sending ??= this.send().finally(() => {
      this.sending = null;
    });
  }

  /** Resolves once no NOTIFY is due or in flight (before the SqlClient closes). */
  async settled(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async send(): Promise<void> {
    while (this.pending) {
      const wait = this.lastSentAt + ANNOUNCE_SPACING_MS - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.pending = false; // from here, appends that commit need the next NOTIFY
      this.lastSentAt = performance.now();
      try {
        await this.sql.query(`SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, '')`, [
          EVENTS_CHANNEL,
        ]);
      } catch (error) {
        console.warn(`[eventstore] cannot NOTIFY ${EVENTS_CHANNEL}, listeners will poll: ${(error as Error).message}`);
      }
    }
  }
}

const ANNOUNCE_SPACING_MS = 5;

function encodeExpected(expected: ExpectedVersion): number {
  switch (expected) {
    case 'any':
      return EXPECTED_ANY;
    case 'no_stream':
      return EXPECTED_NO_STREAM;
    case 'exists':
      return EXPECTED_EXISTS;
    default:
      return expected;
  }
}

function storedRef(stored: StoredJson): StoredEventRef {
  return { ...stored, globalPosition: parseSafeInt8(stored.globalPosition) };
}

interface StoredEventRef {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly globalPosition: number;
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
): AppendResult {
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

/** Unique violations are expected outcomes of races; they must not escape as raw driver errors. */
function translateInsertError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code !== '23505') return error;
  switch (constraint) {
    case 'events_stream_position_key':
      // Unreachable under the stream lock in READ COMMITTED; a caller transaction in REPEATABLE
      // READ can still read a stale version. The stream is at least at the taken position.
      return new WrongExpectedVersionError(streamId, expected, takenPosition(error) ?? minimumActual(expected));
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

/** The stream position a unique violation names (`Key (stream_id, stream_position)=(…, 7) already exists.`). */
function takenPosition(error: unknown): number | null {
  const match = /, (\d+)\) already exists/.exec(String((error as { detail?: unknown }).detail ?? ''));
  return match ? Number(match[1]) : null;
}

/** Without the error's detail: the least version a stream that refused `expected` can be at. */
function minimumActual(expected: ExpectedVersion): number {
  return typeof expected === 'number' ? expected + 1 : 0;
}
