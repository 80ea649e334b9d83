import type { EventEnvelope } from '@accord/contracts';
import type { EventStore, SqlClient } from '@accord/eventstore';
import { readCheckpoint, writeCheckpoint } from '@accord/eventstore';
import { Logger } from '@nestjs/common';
import {
  backoffDelay,
  DEFAULT_MAX_ATTEMPTS,
  describeError,
  describeFailure,
  failureOf,
  retryBounded,
  sleep,
} from './backoff';
import type { ConsumeOptions, ConsumerHandle, ConsumerStatusReporter, EventConsumer } from './event-consumer';

export interface StoreEventConsumerOptions {
  readonly store: EventStore;
  /** Where the `consumer:<name>` checkpoints live (the store's database). */
  readonly sql: SqlClient;
  /** First retry delay after a handler throws; doubles up to `maxRetryDelayMs`. Default 1 s. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Skipped (unwanted) events are checkpointed lazily, every this many; default 100. */
  readonly skipCheckpointEvery?: number;
  /**
   * …and once the log has been quiet this long after a skip (default 1 s): a consumer whose types
   * are rare still records how far it has read, so its status says running, not "never started".
   */
  readonly idleCheckpointMs?: number;
  /** Attempts on one event before the consumer stops (unless `consume` says otherwise); default 8. */
  readonly maxAttempts?: number;
  /** Health registry for consumers that do not name their own. */
  readonly health?: ConsumerStatusReporter;
}

/**
 * `EventConsumer` for the embedded profile: no JetStream, the event store itself is the log. Same
 * contract as `JetStreamEventConsumer`: at-least-once, the checkpoint `consumer:<name>` is written
 * only after the handler succeeded, so a crash in between replays that event — handlers must be
 * idempotent (dedup by event id).
 *
 * A handler that throws is retried in place with capped backoff, never skipped; later events wait
 * meanwhile (unlike JetStream, delivery stays in order). After `maxAttempts` failures on one event
 * this consumer stops ALONE (SEC-3b): its checkpoint stays before that event, it is logged
 * and reported `failed` to the health registry, and the other consumers of the store go on. Close
 * the handle and consume again (a restart) to resume from that very event.
 * One process holds the store, so one consumer per name per `StoreEventConsumer`.
 */
export class StoreEventConsumer implements EventConsumer {
  private readonly logger = new Logger('StoreEventConsumer');
  private readonly active = new Set<string>();

  constructor(private readonly options: StoreEventConsumerOptions) {}

  async consume({ name, types, handler, health, maxAttempts }: ConsumeOptions): Promise<ConsumerHandle> {
    if (this.active.has(name)) throw new Error(`Consumer ${name} is already running`);
    this.active.add(name);
    const checkpoint = `consumer:${name}`;
    const reporter = health ?? this.options.health;
    const attempts = maxAttempts ?? this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    let subscription: { close(): Promise<void> } | null = null;
    const wanted = new Set(types);
    const abort = new AbortController();
    const every = this.options.skipCheckpointEvery ?? 100;
    // Position of the last skipped event not yet checkpointed: losing it on a crash only means
    // skipping those events again, so it is written in bulk (or when the log goes quiet) rather
    // than once per event.
    let unsavedSkip: number | null = null;
    let skippedSinceSave = 0;
    // A wanted event is being handled: its own save will cover every skip before it.
    let handling = false;
    let idleTimer: NodeJS.Timeout | undefined;
    // Checkpoint writes run one at a time, in the order asked, so the idle save of a skip can
    // never land after (and undo) the save of a later event.
    let writes: Promise<unknown> = Promise.resolve();

    // Tried at least once even when closing: the event in flight when close() came was handled,
    // recording it spares a replay. Retried until it works, or until close gives up on it.
    const save = (position: number): Promise<boolean> => {
      const write = writes.then(() => saveNow(position));
      writes = write.catch(() => false);
      return write;
    };
    const saveNow = async (position: number): Promise<boolean> => {
      for (let attempt = 1; ; attempt++) {
        try {
          await writeCheckpoint(this.options.sql, checkpoint, position);
          return true;
        } catch (error) {
          if (abort.signal.aborted) return false;
          this.logger.warn(
            `Consumer ${name}: checkpoint ${position} not written (attempt ${attempt}): ${describeError(error)}`,
          );
          await sleep(this.retryDelay(attempt), abort.signal);
        }
      }
    };

    /** The skips read since the last save, recorded once nothing has come for a while. */
    const saveSkipsWhenIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        const position = unsavedSkip;
        if (position === null || handling || abort.signal.aborted) return;
        void save(position).then((saved) => {
          if (saved && unsavedSkip === position) {
            unsavedSkip = null;
            skippedSinceSave = 0;
          }
        });
      }, this.options.idleCheckpointMs ?? 1_000);
      idleTimer.unref();
    };

    const deliver = async (event: EventEnvelope): Promise<void> => {
      // After close nothing more may run or move the checkpoint, or an unhandled event could be
      // checkpointed past.
      if (abort.signal.aborted) return;
      if (!wanted.has(event.type)) {
        unsavedSkip = event.globalPosition;
        if (++skippedSinceSave >= every && (await save(event.globalPosition))) {
          unsavedSkip = null;
          skippedSinceSave = 0;
        }
        reporter?.progressed?.(checkpoint, { position: event.globalPosition, occurredAt: event.occurredAt });
        if (unsavedSkip !== null) saveSkipsWhenIdle();
        return;
      }
      handling = true;
      try {
        await handle(event);
      } finally {
        handling = false;
      }
    };

    const handle = async (event: EventEnvelope): Promise<void> => {
      const outcome = await retryBounded(() => handler(event), {
        maxAttempts: attempts,
        baseDelayMs: this.options.retryDelayMs ?? 1_000,
        maxDelayMs: this.options.maxRetryDelayMs ?? 30_000,
        signal: abort.signal,
        onRetry: (attempt, delay, error) =>
          this.logger.warn(
            `Consumer ${name}: handler failed for ${event.type} ${event.id} at position ${event.globalPosition} (attempt ${attempt}/${attempts}); retry in ${delay} ms: ${describeError(error)}`,
          ),
      });
      if (!outcome.ok && outcome.aborted) return;
      if (!outcome.ok) {
        // Stop alone: nothing after this event runs and the checkpoint stays before it.
        abort.abort();
        const failure = failureOf(event, outcome.error);
        this.logger.error(describeFailure(`Consumer ${name}`, failure, outcome.attempts));
        reporter?.report(checkpoint, { state: 'failed', ...failure });
        void subscription?.close();
        throw outcome.error;
      }
      if (await save(event.globalPosition)) {
        unsavedSkip = null;
        skippedSinceSave = 0;
      }
      reporter?.progressed?.(checkpoint, { position: event.globalPosition, occurredAt: event.occurredAt });
    };

    try {
      reporter?.report(checkpoint, { state: 'running' });
      const live = this.options.store.subscribeAll(await readCheckpoint(this.options.sql, checkpoint), deliver);
      subscription = live;
      return {
        close: async () => {
          abort.abort();
          clearTimeout(idleTimer);
          await live.close();
          await writes;
          // Skips after the last handled event: safe to record, everything before is done.
          if (unsavedSkip !== null)
            await writeCheckpoint(this.options.sql, checkpoint, unsavedSkip).catch(() => undefined);
          this.active.delete(name);
        },
      };
    } catch (error) {
      this.active.delete(name);
      throw error;
    }
  }

  private retryDelay(attempt: number): number {
    return backoffDelay(attempt, this.options.retryDelayMs ?? 1_000, this.options.maxRetryDelayMs ?? 30_000);
  }
}
