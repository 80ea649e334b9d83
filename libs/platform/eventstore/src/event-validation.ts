import {
  currentSchemaVersion,
  EventSchemaViolation,
  validateEventData,
  type EventDataValidation,
} from '@accord/contracts';
import type { NewEvent } from './event-store';

export { EventSchemaViolation, isEventSchemaViolation } from '@accord/contracts';

/** What the validator of an append sees: the event's type, schema version and data as they will be stored. */
export interface EventToValidate {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** Decides whether an event may be stored; errors name paths, never values. */
export type EventValidator = (event: EventToValidate) => EventDataValidation;

/**
 * Accord's validator (SEC-2a, SEC-2b): the type must be an Accord event type, the schema version
 * its current one (an older version is only ever read, and upcast), and the data must match that
 * version's schema (libs/platform/contracts event-schemas.ts). Every production store uses it; it
 * is `createEventStore`'s default.
 */
export const validateAccordEvent: EventValidator = (event) => {
  const current = currentSchemaVersion(event.type);
  if (event.schemaVersion > current) {
    return { ok: false, errors: [`schemaVersion: no schema for version ${String(event.schemaVersion).slice(0, 20)}`] };
  }
  if (event.schemaVersion !== current) {
    return {
      ok: false,
      errors: [`schemaVersion: version ${String(event.schemaVersion).slice(0, 20)} is read-only, write ${current}`],
    };
  }
  return validateEventData(event.type, event.data);
};

/**
 * Stores any well-formed envelope, whatever its type and data. ONLY for the store's generic
 * contract suite and for tests of store mechanics (relay, projection runner) that append test
 * event types; never in a composition that serves requests.
 */
export const acceptAnyEvent: EventValidator = () => ({ ok: true });

/**
 * Validates the data exactly as it will be stored: its JSON round trip (what `JSON.stringify`
 * drops or changes — undefined, NaN, toJSON — is what the store would keep). Throws
 * `EventSchemaViolation` for the first event that fails; nothing of the append is written.
 */
export function assertEventsValid(events: readonly NewEvent[], validate: EventValidator): void {
  for (const event of events) {
    const data = storedForm(event);
    const result = data.ok
      ? validate({ type: event.type, schemaVersion: storedSchemaVersion(event), data: data.value })
      : data;
    if (!result.ok) throw new EventSchemaViolation(event.type, result.errors, event.id);
  }
}

/** The version an event is written at: its own, else its type's current one (1 for types Accord does not know). */
export function storedSchemaVersion(event: NewEvent): number {
  return event.schemaVersion ?? currentSchemaVersion(event.type);
}

function storedForm(event: NewEvent): { ok: true; value: unknown } | { ok: false; errors: readonly string[] } {
  try {
    const json = JSON.stringify(event.data ?? null);
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch {
    return { ok: false, errors: ['/: not serialisable as JSON'] };
  }
}
