import { parseTraceparent } from '@accord/contracts';
import type { ExpectedVersion, NewEvent } from './event-store';
import { assertEventsValid, type EventValidator } from './event-validation';
import { MAX_EVENTS_PER_APPEND } from './global-position';

const STREAM_ID = /^[^-\s]+-\S+$/;

/**
 * Rejects malformed input before any SQL runs: such an append can never succeed on retry. Every
 * event must also pass `validateEvent` (its schema, SEC-2b), else `EventSchemaViolation`
 * and nothing of the append is stored.
 */
export function validateAppend(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
  validateEvent: EventValidator,
): void {
  if (!STREAM_ID.test(streamId)) throw new Error(`Stream id "${streamId}" is not <category>-<id>`);
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new RangeError(`Expected version must be 'any', 'no_stream', 'exists' or a version >= 0, got ${expected}`);
  }
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new RangeError(`An append holds at most ${MAX_EVENTS_PER_APPEND} events, got ${events.length}`);
  }
  const ids = new Set<string>();
  for (const event of events) {
    if (!event.id) throw new Error(`An event appended to ${streamId} has no id`);
    if (ids.has(event.id)) throw new Error(`Event id ${event.id} appears twice in one append to ${streamId}`);
    ids.add(event.id);
    if (!event.type) throw new Error(`Event ${event.id} has no type`);
    if (event.schemaVersion !== undefined && (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1)) {
      throw new RangeError(`Event ${event.id} has schemaVersion ${event.schemaVersion}; expected an integer >= 1`);
    }
    if (Number.isNaN(Date.parse(event.metadata.occurredAt))) {
      throw new Error(`Event ${event.id} has occurredAt "${event.metadata.occurredAt}", not an ISO-8601 timestamp`);
    }
    // The envelope is public: only a well-formed W3C traceparent may ride on it.
    if (event.metadata.traceparent !== undefined && !parseTraceparent(event.metadata.traceparent)) {
      throw new Error(`Event ${event.id} has a traceparent that is not a W3C version 00 traceparent`);
    }
  }
  assertEventsValid(events, validateEvent);
}

/** The stream's version as the error reports it. */
export function actualVersion(version: number): number | 'no_stream' {
  return version < 0 ? 'no_stream' : version;
}
