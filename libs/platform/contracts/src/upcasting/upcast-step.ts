import type { EventEnvelope } from '../envelope';

/**
 * One step of an event type's schema history: from version n to n+1. Pure: the data of version
 * n+1 from the whole stored envelope at version n (it may read `occurredAt`, the stream, the actor).
 */
export interface UpcastStep {
  /** What version n+1 changes, and what the step fills in (docs/events.md shows it). */
  readonly change: string;
  /** The data at version n+1. Never mutates the envelope: stored events are shared by readers. */
  readonly upcast: (envelope: EventEnvelope) => unknown;
}
