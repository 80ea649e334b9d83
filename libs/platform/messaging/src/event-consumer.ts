import type { EventEnvelope } from '@accord/contracts';

/**
 * A durable, at-least-once subscription to Accord's events by a named consumer (a service's
 * reactor, a notification sender). Delivery resumes after a restart where the consumer's last
 * acknowledged event left off; a handler that throws gets the event again, so handlers must be
 * idempotent (dedup by event id or by a rule of the decider).
 *
 * One bad event never holds the others hostage (SEC-3b): a handler that keeps failing on
 * one event is retried with capped backoff `maxAttempts` times, then THIS consumer stops alone —
 * its cursor stays before that event, it is reported `failed` (name, event id, type, position,
 * error message; never event data) to `health`, and every other consumer keeps running. A restart
 * after the fix resumes from the failed event.
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
  /** Where this consumer reports `running` / `failed` (the process's health registry). */
  readonly health?: ConsumerStatusReporter;
  /** Attempts on one event before the consumer stops; default: the consumer's (8). */
  readonly maxAttempts?: number;
}

export interface ConsumerHandle {
  close(): Promise<void>;
}

/** Where a consumer, projection or reactor stopped: what an operator needs, never event data. */
export interface ConsumerFailure {
  readonly eventId: string;
  readonly eventType: string;
  /** Global position of the event in the store. */
  readonly position: number;
  /** The handler's error message (messages are written not to carry personal data). */
  readonly error: string;
  /** ISO-8601 UTC time it stopped. */
  readonly since: string;
}

export type ConsumerStatus = { readonly state: 'running' } | ({ readonly state: 'failed' } & ConsumerFailure);

/** How far a consumer, projection or reactor got: what its metrics show (checkpoint, lag). */
export interface ConsumerProgress {
  /** Global position of the last event it applied, acknowledged or skipped. */
  readonly position: number;
  /** ISO-8601 time that event occurred; absent when only a stored checkpoint is known. */
  readonly occurredAt?: string;
  /** Events still waiting for it, when the transport knows (JetStream's pending count). */
  readonly pending?: number;
}

/** The process's health registry as consumers see it (`ConsumerHealth` in @accord/runtime). */
export interface ConsumerStatusReporter {
  report(name: string, status: ConsumerStatus): void;
  /** Optional: progress after each applied batch or event, for the process's metrics. */
  progressed?(name: string, progress: ConsumerProgress): void;
}

/** Nest injection token for the EventConsumer of the running profile. */
export const EVENT_CONSUMER = Symbol('EVENT_CONSUMER');

// The bounded-retry policy every consumer of events shares (projections and in-memory read
// models too), exported with the port (the package index lists the port's file).
export {
  DEFAULT_MAX_ATTEMPTS,
  describeFailure,
  failureOf,
  retryBounded,
  type BoundedRetryOptions,
  type BoundedRetryOutcome,
} from './backoff';
