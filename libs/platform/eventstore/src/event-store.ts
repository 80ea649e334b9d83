import type { Actor, EventEnvelope } from '@accord/contracts';

/**
 * `any`: no check; `no_stream`: the stream must not exist; `exists`: it must; a number: the
 * stream's current version (position of its last event, from 0) must equal it.
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'exists' | number;

/** Metadata the application stamps on every event it appends (becomes part of the envelope). */
export interface EventMetadata {
  readonly accountId: string | null;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** ISO-8601 UTC. */
  readonly occurredAt: string;
  /** W3C `traceparent` of the request behind the event; absent when none was traced. */
  readonly traceparent?: string;
}

/** An event to append. `id` is chosen by the caller so a retried append is recognised. */
export interface NewEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion?: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface AppendResult {
  /** The stream's version after the append (what to pass as `expected` next time). */
  readonly nextExpectedVersion: number;
  /** Global position of the last event of this append (or of the already stored one on a no-op). */
  readonly lastPosition: number;
}

/**
 * A filtered read of the global log (`EventStore.readEvents`). Every filter given must hold;
 * `types` omitted or empty means any type. Times are ISO-8601 instants compared as instants.
 */
export interface EventQuery {
  /** Only events whose envelope's accountId is this. */
  readonly accountId?: string;
  readonly streamId?: string;
  /** Any of these event types. */
  readonly types?: readonly string[];
  /** Only events whose actor's userId is this. */
  readonly actorId?: string;
  /** occurredAt >= from. */
  readonly from?: string;
  /** occurredAt < to. */
  readonly to?: string;
  /** globalPosition > after. */
  readonly after?: number;
  /** globalPosition < before. */
  readonly before?: number;
  /** At most this many events (a positive integer). */
  readonly limit: number;
  /** `forward` (default): oldest first; `backward`: newest first. */
  readonly direction?: 'forward' | 'backward';
}

/** Handler of a subscription; the subscription awaits it before delivering the next event. */
export type EventHandler = (event: EventEnvelope) => Promise<void>;

/**
 * Handler of a batch subscription: the events of one read, in global order. The cursor moves past
 * the whole batch only once it resolved; a throw retries the same batch.
 */
export type BatchHandler = (events: readonly EventEnvelope[]) => Promise<void>;

export interface Subscription {
  /** Stop delivering; resolves once the handler in flight (if any) has finished. */
  close(): Promise<void>;
}

/**
 * The event store port. Global positions are strictly increasing in the order readers see events
 * and are never skipped by a reader, even when transactions commit out of order; they are not
 * dense (gaps are normal). Every adapter passes `describeEventStoreContract` (testing/event-store.contract.ts).
 */
export interface EventStore {
  /** Atomic for all events of the call. Re-appending stored event ids is a no-op. */
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;
  /** The stream's events in stream order; empty when it does not exist. */
  readStream(streamId: string, options?: { readonly fromVersion?: number }): Promise<EventEnvelope[]>;
  /** Up to `limit` events with globalPosition > `after`, in global order. */
  readAll(after: number, limit: number): Promise<EventEnvelope[]>;
  /**
   * Up to `query.limit` events that match every filter of `query`, in global order (or its reverse
   * with `direction: 'backward'`); like `readAll`, never an event a reader cannot see yet. To page,
   * pass the last position read as `after` (forward) or `before` (backward).
   */
  readEvents(query: EventQuery): Promise<EventEnvelope[]>;
  /** Catch up from `after` (exclusive), then stay live. Delivers each event once, in order. */
  subscribeAll(after: number, handler: EventHandler): Subscription;
  /**
   * `subscribeAll` for a consumer that does one piece of work per batch (one transaction for
   * every event of a read, for a read model): the same order and once-only guarantees, by batch.
   */
  subscribeAllBatches(after: number, handler: BatchHandler): Subscription;
  /** The global position of the newest event a reader can see now (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * The global position of the newest committed event, also one a reader cannot see yet because an
   * older transaction (anywhere on the server) is still running: what "everything stored before
   * now" means to a process that must not answer from less. Subscriptions reach it once that
   * transaction ends.
   */
  committedHeadPosition(): Promise<number>;
  close(): Promise<void>;
}

/** The stream was not at the expected version: another writer got there first. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId} expected version ${String(expected)} but is at ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}
