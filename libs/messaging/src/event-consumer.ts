import type { EventEnvelope } from '@accord/contracts';

/**
 * A durable, at-least-once subscription to Accord's events by a named consumer (a service's
 * reactor, a notification sender). Delivery resumes after a restart where the consumer's last
 * acknowledged event left off; a handler that throws gets the event again later, so handlers
 * must be idempotent (dedup by event id or by a rule of the decider).
 */
export interface EventConsumer {
  consume(options: ConsumeOptions): Promise<ConsumerHandle>;
}

export interface ConsumeOptions {
  /** Durable name: one cursor per name, shared by all replicas of that consumer. */
  readonly name: string;
  /** Event types wanted (all others are skipped and acknowledged). */
  readonly types: readonly string[];
  readonly handler: (event: EventEnvelope) => Promise<void>;
}

export interface ConsumerHandle {
  close(): Promise<void>;
}

/** Nest injection token for the EventConsumer of the running profile. */
export const EVENT_CONSUMER = Symbol('EVENT_CONSUMER');
