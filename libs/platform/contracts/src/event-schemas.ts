import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { API_TOKEN_EVENT_SCHEMAS } from './api-token/events';
import type { EventData } from './event-schema-blocks';
import type * as E from './events';
import { INVITATION_EVENT_SCHEMAS } from './invitation/events';
import { MEMBERSHIP_EVENT_SCHEMAS } from './membership/events';
import { NOTIFICATION_EVENT_SCHEMAS } from './notification/events';

export { EVENT_LIMITS } from './event-schema-blocks';

// SEC-2a: no malformed event can be stored. One TypeBox schema per event type describes
// its `data` at the type's current schemaVersion (upcasting/registry.ts), in its context's
// events.ts; the event store writes every event at that version and validates it against the
// schema before append, docs/events.md is generated from it (tools/docs/events-doc.ts), and
// the event's data type is derived from it (`EventData`), so nothing else describes the data.
// Older versions have no schema here: they are only read, and upcast to the current one.

// ---- the registry ----

const SCHEMAS = {
  ...MEMBERSHIP_EVENT_SCHEMAS,
  ...INVITATION_EVENT_SCHEMAS,
  ...API_TOKEN_EVENT_SCHEMAS,
  ...NOTIFICATION_EVENT_SCHEMAS,
} satisfies Record<E.AccordEventType, TSchema>;

/** The schema of each event type's `data` at its current schemaVersion (`CURRENT_SCHEMA_VERSION`). */
export const EVENT_SCHEMAS: Readonly<Record<E.AccordEventType, TSchema>> = SCHEMAS;

export type EventDataValidation = { readonly ok: true } | { readonly ok: false; readonly errors: readonly string[] };

const MAX_REPORTED_ERRORS = 10;
const compiled = new Map<string, TypeCheck<TSchema>>();

export function isAccordEventType(type: unknown): type is E.AccordEventType {
  return typeof type === 'string' && Object.hasOwn(EVENT_SCHEMAS, type);
}

/**
 * Checks an event's data against its type's schema. Errors name the path and the rule, never the
 * value (event data holds personal data). Unknown types are refused.
 */
export function validateEventData(type: string, data: unknown): EventDataValidation {
  if (!isAccordEventType(type)) return { ok: false, errors: ['type: unknown event type'] };
  let check = compiled.get(type);
  if (!check) {
    check = TypeCompiler.Compile(EVENT_SCHEMAS[type]);
    compiled.set(type, check);
  }
  if (check.Check(data)) return { ok: true };
  const errors: string[] = [];
  for (const error of check.Errors(data)) {
    const line = `${safePath(error.path)}: ${error.message}`;
    if (!errors.includes(line)) errors.push(line);
    if (errors.length >= MAX_REPORTED_ERRORS) break;
  }
  return { ok: false, errors: errors.length > 0 ? errors : ['/: does not match the schema'] };
}

/** Paths may hold property names chosen by whoever built the data: keep them short and printable. */
function safePath(path: string): string {
  const printable = (path || '/').replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 120 ? `${printable.slice(0, 117)}...` : printable;
}

/**
 * An event does not match its schema (or has an unknown type / schema version): a bug in the code
 * that produced it, never the caller's fault. Nothing of the append is stored. The message names
 * the type and the paths, never the data; the command path answers `internal`.
 */
export class EventSchemaViolation extends Error {
  constructor(
    readonly eventType: string,
    readonly paths: readonly string[],
    readonly eventId?: string,
  ) {
    super(
      `Event ${printableType(eventType)}${eventId ? ` (${eventId})` : ''} violates its schema: ${paths.join('; ')}`,
    );
    this.name = 'EventSchemaViolation';
  }
}

export function isEventSchemaViolation(error: unknown): error is EventSchemaViolation {
  return (
    error instanceof EventSchemaViolation ||
    (error instanceof Error && error.name === 'EventSchemaViolation' && 'eventType' in error)
  );
}

function printableType(type: string): string {
  const printable = String(type).replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 100 ? `${printable.slice(0, 97)}...` : printable;
}

// ---- compile-time: the registry and the event union agree ----

type Identical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Types with a schema but no member in `AccordEvent`, or whose member's data is not its schema's. */
type Mismatched = {
  [T in keyof typeof SCHEMAS]: T extends E.AccordEventType
    ? Identical<E.EventDataOf<T>, EventData<(typeof SCHEMAS)[T]>> extends true
      ? never
      : T
    : T;
}[keyof typeof SCHEMAS];
type NoMismatch<T extends never> = T;

/**
 * Fails to compile, naming the event type, when a context's union lists an event with another
 * type's data or a schema has no event (`satisfies` above catches an event without a schema).
 */
export type EventSchemasMatchEvents = NoMismatch<Mismatched>;
