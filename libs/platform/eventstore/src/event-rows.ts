import { upcast, type Actor, type EventEnvelope } from '@accord/contracts';

/** The metadata column as appended (EventMetadata, with occurredAt normalized to ISO UTC). */
interface StoredMetadata {
  readonly accountId?: string | null;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId?: string | null;
  readonly occurredAt: string;
  readonly traceparent?: string;
}

export interface EventRow {
  readonly global_position: number;
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_position: number;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly metadata: StoredMetadata;
}

export const EVENT_COLUMNS =
  'global_position, event_id, stream_id, stream_position, type, schema_version, data, metadata';

/**
 * A stored row as the public envelope (field names are a contract with outside consumers), upcast
 * to its type's current schema version: every read of the store (streams, global order,
 * subscriptions, the relay to NATS) goes through here, so no decider, projection, reactor or
 * consumer ever sees an older version.
 */
export function toEnvelope(row: EventRow): EventEnvelope {
  return upcast({
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamPosition: row.stream_position,
    globalPosition: row.global_position,
    occurredAt: row.metadata.occurredAt,
    accountId: row.metadata.accountId ?? null,
    actor: row.metadata.actor,
    correlationId: row.metadata.correlationId,
    causationId: row.metadata.causationId ?? null,
    // Only when stored: events of untraced requests keep the envelope they always had.
    ...(typeof row.metadata.traceparent === 'string' ? { traceparent: row.metadata.traceparent } : {}),
    data: row.data,
  });
}
