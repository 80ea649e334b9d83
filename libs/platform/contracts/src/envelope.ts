import { EVENT_CONTEXT, type AccordEventType, type EventDataOf } from './events';

/** Who caused an event, and through what (DESIGN.md "Event envelope"). */
export interface Actor {
  readonly userId: string;
  readonly via: 'session' | 'api_token' | 'delegation' | 'impersonation' | 'system';
  readonly tokenId?: string;
  readonly impersonatorId?: string;
}

/** The public envelope every consumer of `ACCORD_EVENTS` parses. Field names are a contract. */
export interface EventEnvelope<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly globalPosition: number;
  /** ISO-8601 UTC. */
  readonly occurredAt: string;
  readonly accountId: string | null;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  /**
   * W3C trace context of the request that caused the event (`00-<trace id>-<parent id>-<flags>`).
   * Optional: events written before it existed, and events no traced request caused, lack it.
   */
  readonly traceparent?: string;
  readonly data: Data;
}

/** What a command's caller knows when it asks: who, when, and which request this belongs to. */
export interface CommandMetadata {
  readonly actor: Actor;
  /** ISO-8601 UTC; the domain never reads a clock. */
  readonly now: string;
  readonly correlationId: string;
  readonly causationId?: string;
  /** W3C `traceparent` of the request, stored on every event the command appends. */
  readonly traceparent?: string;
}

/** The parts of a W3C `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header). */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  readonly traceId: string;
  /** 16 lowercase hex digits, not all zero: the span of the caller. */
  readonly parentId: string;
  /** 2 lowercase hex digits (bit 0: sampled). */
  readonly flags: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * A `traceparent` of version 00, strictly: anything else (another version, upper case, extra
 * fields, an all-zero id) is `undefined`, so a malformed header is ignored rather than stored.
 */
export function parseTraceparent(value: unknown): TraceContext | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, traceId = '', parentId = '', flags = ''] = match;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  return { traceId, parentId, flags };
}

/** The `traceparent` header value of a trace context (version 00). */
export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.parentId}-${context.flags}`;
}

/** The subject an event is published on in JetStream stream ACCORD_EVENTS. */
export const EVENTS_STREAM = 'ACCORD_EVENTS';
export const EVENTS_SUBJECT_ROOT = 'accord.events';
export function eventSubject(context: string, type: string): string {
  return `${EVENTS_SUBJECT_ROOT}.${context}.${type}`;
}

/**
 * A stored Accord event whose `data` narrows on `type` (a `switch (event.type)` needs no cast).
 * `AccordEnvelope<'MemberJoined' | 'MemberLeft'>` is the union of just those two.
 */
export type AccordEnvelope<T extends AccordEventType = AccordEventType> = {
  [K in T]: EventEnvelope<K, EventDataOf<K>>;
}[T];

/**
 * An envelope read from the store as an Accord event. The store validated its data against the
 * event's schema before append (no malformed event is stored), so the type of a known event type
 * is its schema's; an unknown type (a newer writer) is not an Accord event to this reader.
 */
export function asAccordEnvelope(envelope: EventEnvelope): AccordEnvelope | null {
  return Object.hasOwn(EVENT_CONTEXT, envelope.type) ? (envelope as AccordEnvelope) : null;
}
