import type { EventEnvelope } from '@accord/contracts';
import type { EventStore, SqlClient } from '@accord/eventstore';
import {
  EVENTS_CHANNEL,
  InProcessRelayLock,
  PgAdvisoryRelayLock,
  readCheckpoint,
  supportsNotifications,
  writeCheckpoint,
  type RelayLease,
  type RelayLock,
} from '@accord/eventstore';
import { Logger } from '@nestjs/common';
import type { JetStreamClient, NatsConnection } from 'nats';
import { backoffDelay, describeError, sleep } from './backoff';
import {
  contextOfEventType,
  DEFAULT_DUPLICATE_WINDOW_MS,
  ensureEventsStream,
  eventSubjectFor,
  resolveEventsStream,
  type EventsStreamOptions,
  type ResolvedEventsStream,
} from './events-stream';

export interface EventRelayOptions extends EventsStreamOptions {
  readonly store: EventStore;
  /** Where the checkpoint lives (the event store's database); its `kind` picks the lock. */
  readonly sql: SqlClient;
  /** Owned by the caller: the relay neither connects nor closes it. */
  readonly nats: NatsConnection;
  /** Required when `sql.kind === 'pg'`: the advisory lock needs a session of its own. */
  readonly databaseUrl?: string;
  /** Context of an event type (subject's middle token); default: `EVENT_CONTEXT`, else `unknown`. */
  readonly contextOf?: (type: string) => string;
  /** Default `relay:<streamName>`. */
  readonly checkpointName?: string;
  readonly duplicateWindowMs?: number;
  /** Events read (and then checkpointed) per round; default 100. */
  readonly batchSize?: number;
  /** Longest pause when the store has nothing new (appends' notifications end it early); default 100 ms. */
  readonly idlePollMs?: number;
  /** How often a standby retries the lock; default 1 s. */
  readonly lockRetryMs?: number;
  readonly publishTimeoutMs?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
}

export interface EventRelayStatus {
  /** Holds the lock and is relaying. */
  readonly active: boolean;
  /** Events published by this instance (PubAcks that were not duplicates). */
  readonly published: number;
  /** PubAcks JetStream flagged as duplicates (re-publish after a crash, inside the window). */
  readonly duplicates: number;
  /** Last checkpointed global position, once known. */
  readonly position: number | null;
  /** When the event at `position` occurred (ISO-8601), once this instance relayed one: its lag in seconds. */
  readonly occurredAt: string | null;
}

/**
 * Store → JetStream relay (DESIGN.md "Event flow" 3). Services never publish after an append: the
 * store is the only source, so a crash between append and publish loses nothing; the relay just
 * resumes from its checkpoint.
 *
 * Delivery is at-least-once: the checkpoint is written after the PubAcks of a batch, so a crash in
 * between re-publishes that batch. JetStream drops those re-publishes inside the stream's
 * duplicate window (`Nats-Msg-Id` = event id), and consumers dedup by event id anyway.
 *
 * Events are published one at a time, each PubAck awaited, so the stream holds them in global
 * order even when a publish has to be retried. A publish that fails is retried with backoff for as
 * long as it takes: skipping would lose the event for every consumer.
 */
export class EventRelay {
  private readonly logger = new Logger('EventRelay');
  private readonly stream: ResolvedEventsStream;
  private readonly checkpointName: string;
  private readonly contextOf: (type: string) => string;
  private readonly lock: RelayLock;
  private readonly js: JetStreamClient;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private lease: RelayLease | null = null;
  private counts = { published: 0, duplicates: 0 };
  private position: number | null = null;
  private occurredAt: string | null = null;
  /** Set by the store's append notification; ends the idle pause at once. */
  private notified = false;
  private wake: (() => void) | null = null;

  constructor(private readonly options: EventRelayOptions) {
    this.stream = resolveEventsStream(options);
    this.checkpointName = options.checkpointName ?? `relay:${this.stream.streamName}`;
    this.contextOf = options.contextOf ?? contextOfEventType;
    this.js = options.nats.jetstream();
    const lockKey = `accord-relay:${this.stream.streamName}`;
    const retryMs = options.lockRetryMs ?? 1_000;
    if (options.sql.kind === 'pg') {
      if (!options.databaseUrl)
        throw new Error('EventRelay on PostgreSQL needs databaseUrl for its advisory-lock connection');
      this.lock = new PgAdvisoryRelayLock(options.databaseUrl, lockKey, retryMs, new Logger('RelayLock'));
    } else {
      this.lock = new InProcessRelayLock(options.sql, lockKey, retryMs);
    }
  }

  /** Starts relaying in the background; returns at once (a standby may wait for the lock forever). */
  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal);
  }

  /** Stops after the publish in flight, checkpoints what was published, releases the lock. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = null;
    this.abort = null;
  }

  status(): EventRelayStatus {
    return {
      active: this.lease !== null && !this.lease.lost,
      ...this.counts,
      position: this.position,
      occurredAt: this.occurredAt,
    };
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const lease = await this.lock.acquire(signal);
      if (!lease) return;
      this.lease = lease;
      try {
        await this.pump(lease, signal);
        failures = 0;
      } catch (error) {
        // Store unreadable, checkpoint unwritable, lock connection gone…: drop the lock so a
        // healthy standby can take over, then try again ourselves.
        failures += 1;
        this.logger.error(`Relay ${this.stream.streamName} interrupted: ${describeError(error)}`);
      } finally {
        this.lease = null;
        await lease.release();
      }
      if (failures > 0) await sleep(this.retryDelay(failures), signal);
    }
  }

  private async pump(lease: RelayLease, signal: AbortSignal): Promise<void> {
    await this.ensureStream(signal);
    let position = await readCheckpoint(lease.sql, this.checkpointName);
    this.position = position;
    const unlisten = await this.listenForAppends();
    try {
      while (!signal.aborted && !lease.lost) {
        this.notified = false;
        const batch = await this.options.store.readAll(position, this.options.batchSize ?? 100);
        if (batch.length === 0) {
          await this.idle(signal);
          continue;
        }
        position = await this.relayBatch(batch, position, lease, signal);
      }
    } finally {
      await unlisten?.().catch(() => undefined);
    }
  }

  /** Publishes a batch in order, then checkpoints the last published event; returns the new position. */
  private async relayBatch(
    batch: readonly EventEnvelope[],
    from: number,
    lease: RelayLease,
    signal: AbortSignal,
  ): Promise<number> {
    let position = from;
    let occurredAt: string | null = null;
    for (const event of batch) {
      if (signal.aborted || lease.lost || !(await this.publish(event, signal))) break;
      position = event.globalPosition;
      occurredAt = event.occurredAt;
    }
    if (position !== from && !lease.lost) {
      await writeCheckpoint(lease.sql, this.checkpointName, position);
      this.position = position;
      this.occurredAt = occurredAt;
    }
    return position;
  }

  /**
   * Appends NOTIFY; listening cuts the relay's latency from the poll interval to milliseconds.
   * Only a hint: notifications are lost while disconnected and an older transaction committing
   * late sends none, so the relay polls anyway.
   */
  private async listenForAppends(): Promise<(() => Promise<void>) | null> {
    const sql = this.options.sql;
    if (!supportsNotifications(sql)) return null;
    const onNotify = (): void => {
      this.notified = true;
      this.wake?.();
    };
    return sql.listen(EVENTS_CHANNEL, onNotify).catch((error: unknown) => {
      this.logger.warn(`Cannot listen for appends, polling only: ${describeError(error)}`);
      return null;
    });
  }

  private async idle(signal: AbortSignal): Promise<void> {
    if (this.notified) return;
    const woken = new AbortController();
    const onAbort = (): void => woken.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.wake = onAbort;
    try {
      await sleep(this.options.idlePollMs ?? 100, woken.signal);
    } finally {
      this.wake = null;
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async ensureStream(signal: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const jsm = await this.options.nats.jetstreamManager();
        await ensureEventsStream(jsm, {
          ...this.stream,
          duplicateWindowMs: this.options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS,
        });
        return;
      } catch (error) {
        if (signal.aborted) throw error;
        this.logger.warn(
          `Cannot ensure stream ${this.stream.streamName} (attempt ${attempt}): ${describeError(error)}`,
        );
        await sleep(this.retryDelay(attempt), signal);
      }
    }
  }

  /** Publishes until JetStream acknowledges; false only when stopping or the lock was lost first. */
  private async publish(event: EventEnvelope, signal: AbortSignal): Promise<boolean> {
    const subject = eventSubjectFor(this.stream.subjectRoot, this.contextOf(event.type), event.type);
    const data = new TextEncoder().encode(JSON.stringify(event));
    for (let attempt = 1; ; attempt++) {
      try {
        // msgID sets the Nats-Msg-Id header: JetStream's dedup key, and consumers' idempotency key.
        const ack = await this.js.publish(subject, data, {
          msgID: event.id,
          timeout: this.options.publishTimeoutMs ?? 5_000,
        });
        if (ack.duplicate) this.counts.duplicates += 1;
        else this.counts.published += 1;
        return true;
      } catch (error) {
        this.logger.warn(
          `Publish of event ${event.id} (position ${event.globalPosition}) failed (attempt ${attempt}): ${describeError(error)}`,
        );
        await sleep(this.retryDelay(attempt), signal);
        if (signal.aborted || this.lease?.lost) return false;
      }
    }
  }

  private retryDelay(attempt: number): number {
    return backoffDelay(attempt, this.options.retryBaseMs ?? 100, this.options.retryMaxMs ?? 5_000);
  }
}
