import { asAccordEnvelope, type AccordEnvelope, type EventEnvelope } from '@accord/contracts';
import { setUpSerialized, type EventStore, type SqlClient, type Subscription } from '@accord/eventstore';
import {
  DEFAULT_MAX_ATTEMPTS,
  describeFailure,
  failureOf,
  retryBounded,
  type ConsumerStatus,
  type ConsumerStatusReporter,
} from '@accord/messaging';
import { Logger } from '@nestjs/common';
import {
  clearConsumerFailure,
  ensureConsumerFailuresTable,
  recordConsumerFailure,
} from './operations/consumer-failures';
import { PositionWaiters, type ReadModelProgress } from './position-waiters';
import { applyInOrder, type EnvelopeReader, type Projection } from './projection';
import { ReadModelFailedError } from './read-model-failed';

export interface ProjectionRunnerOptions<E extends EventEnvelope = AccordEnvelope> {
  /** Attempts on one event alone (after its batch failed) before the projection stops alone; default 8. */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per attempt up to `maxRetryDelayMs`. Defaults 100 ms and 5 s. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** The process's health registry: `projection:<name>` is reported running / failed there. */
  readonly health?: ConsumerStatusReporter;
  /** How a stored envelope becomes what the projection reads; default `asAccordEnvelope`. */
  readonly read?: EnvelopeReader<E>;
}

/**
 * Feeds one projection from the event store. The events of a read (a page of the store's) are
 * applied and the checkpoint moved in ONE transaction, guarded by the stored checkpoint
 * (row-locked), so a redelivered event or a second replica applying the same events changes
 * nothing: exactly-once effect on the read model. One commit per batch rather than per event is
 * what lets a read model keep up with the writers (a commit waits for the WAL flush).
 *
 * A batch that fails is rolled back and its events are applied one at a time instead, so a bad
 * event is found on its own and those before it land.
 *
 * One bad event never holds the others hostage (SEC-3a): an event whose apply keeps
 * failing is retried with capped backoff `maxAttempts` times, then THIS projection stops alone —
 * its checkpoint stays before the event, it is logged and reported `failed` (name, event id, type,
 * position, error message; also recorded in `consumer_failures` for other processes), and every
 * wait on it fails fast with `ReadModelFailedError`. Other
 * projections on the same store go on. `start()` again (a restart, after the fix) resumes from
 * that event.
 */
export class ProjectionRunner<E extends EventEnvelope = AccordEnvelope> implements ReadModelProgress {
  private subscription: Subscription | null = null;
  private readonly progress = new PositionWaiters();
  private readonly logger = new Logger('ProjectionRunner');
  /** Ends the retry backoff of the running subscription on stop. */
  private abort = new AbortController();
  private current: ConsumerStatus = { state: 'running' };
  private readonly types: ReadonlySet<string>;
  private readonly read: EnvelopeReader<E>;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    readonly projection: Projection<E>,
    private readonly options: ProjectionRunnerOptions<E> = {},
  ) {
    this.types = new Set(projection.types);
    // `E` is `AccordEnvelope` unless the caller names another envelope, and then it passes `read`.
    this.read = options.read ?? (asAccordEnvelope as EnvelopeReader<E>);
  }

  async start(): Promise<void> {
    await setUpSerialized(this.sql, async (tx) => {
      await ensureConsumerFailuresTable(tx);
      await this.projection.setup(tx);
    });
    await this.sql.query(
      `INSERT INTO checkpoints (name, position, updated_at) VALUES ($1, 0, now()) ON CONFLICT (name) DO NOTHING`,
      [this.checkpointName],
    );
    this.progress.reset(await this.storedCheckpoint(this.sql));
    this.options.health?.progressed?.(this.checkpointName, { position: this.progress.position() });
    const abort = new AbortController();
    this.abort = abort;
    this.setStatus({ state: 'running' });
    // Started again (after a fix): the stopped state other processes read is over.
    await clearConsumerFailure(this.sql, this.checkpointName);
    this.subscription = this.store.subscribeAllBatches(this.progress.position(), (events) =>
      this.deliverBatch(events, abort.signal),
    );
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.subscription?.close();
    this.subscription = null;
    // A failed read model stays failed (waits keep failing fast) until started again.
    if (this.current.state !== 'failed') this.progress.reset(this.progress.position());
  }

  /** `running`, or `failed` with the event it stopped on. */
  status(): ConsumerStatus {
    return this.current;
  }

  /** The name it is reported under in the health registry and its checkpoint row. */
  get healthName(): string {
    return this.checkpointName;
  }

  /** The global position this read model has applied up to. */
  position(): number {
    return this.progress.position();
  }

  /** Resolves true once the read model has reached `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.progress.waitFor(position, timeoutMs);
  }

  /**
   * Wait (bounded) until this read model has applied everything committed to the store right now.
   * Used before answering "no" (not a member, no such invitation): lag must never deny. Not the
   * visible head: a transaction still running anywhere on the server holds that below an event
   * committed just before the question, and the "no" would be answered from before it.
   */
  async catchUp(timeoutMs: number): Promise<boolean> {
    return this.waitFor(await this.store.committedHeadPosition(), timeoutMs);
  }

  /** Empty the read model and replay every event from position 0. */
  async rebuild(): Promise<void> {
    await this.stop();
    await this.sql.transaction(async (tx) => {
      await this.projection.reset(tx);
      await tx.query(`UPDATE checkpoints SET position = 0, updated_at = now() WHERE name = $1`, [this.checkpointName]);
    });
    await this.start();
  }

  /** The subscription's handler: a read's events in one transaction, one by one if that fails. */
  private async deliverBatch(events: readonly EventEnvelope[], signal: AbortSignal): Promise<void> {
    try {
      await this.handleAll(events);
    } catch {
      // Rolled back whole: find the bad event alone, with its retries and the stop-alone rule.
      for (const event of events) await this.deliver(event, signal);
    }
  }

  /** One event with bounded retries; gives up by stopping alone. */
  private async deliver(event: EventEnvelope, signal: AbortSignal): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const outcome = await retryBounded(() => this.handle(event), {
      maxAttempts,
      baseDelayMs: this.options.retryDelayMs ?? 100,
      maxDelayMs: this.options.maxRetryDelayMs ?? 5_000,
      signal,
      onRetry: (attempt, delay, error) =>
        this.logger.warn(
          `Projection ${this.projection.name}: apply failed on event ${event.id} (${event.type}) at position ${event.globalPosition} ` +
            `(attempt ${attempt}/${maxAttempts}); retry in ${delay} ms: ${describe(error)}`,
        ),
    });
    if (outcome.ok) return;
    // Stopping: the subscription is closing and will not move past this event.
    if (outcome.aborted) throw new Error('projection stopping');
    const failure = failureOf(event, outcome.error);
    this.logger.error(describeFailure(`Projection ${this.projection.name}`, failure, outcome.attempts));
    this.setStatus({ state: 'failed', ...failure });
    this.progress.fail(new ReadModelFailedError(this.projection.name));
    // For `accord projections status` in another process; never in the way of stopping alone.
    await recordConsumerFailure(this.sql, this.checkpointName, failure).catch((error: unknown) =>
      this.logger.warn(`Projection ${this.projection.name}: failure not recorded: ${describe(error)}`),
    );
    // Stop alone: close the subscription from its own handler and throw, so it ends on this event.
    void this.subscription?.close();
    throw outcome.error;
  }

  private setStatus(status: ConsumerStatus): void {
    this.current = status;
    this.options.health?.report(this.checkpointName, status);
  }

  /**
   * Applies one event (public for the duplicate-delivery test; the subscription calls it). A type
   * the projection does not read, or one this reader does not know (a newer writer), only moves
   * the checkpoint.
   */
  async handle(event: EventEnvelope): Promise<void> {
    await this.handleAll([event]);
  }

  /** Applies `events` (in global order) in one transaction; those at or below the checkpoint are skipped. */
  private async handleAll(events: readonly EventEnvelope[]): Promise<void> {
    const last = events.at(-1);
    if (!last) return;
    await this.sql.transaction(async (tx) => {
      const checkpoint = await this.claimCheckpoint(tx);
      if (last.globalPosition <= checkpoint) return;
      const reads: E[] = [];
      for (const event of events) {
        if (event.globalPosition <= checkpoint) continue;
        const read = this.types.has(event.type) ? this.read(event) : null;
        if (read) reads.push(read);
      }
      await applyInOrder(this.projection, tx, reads);
      await tx.query(`UPDATE checkpoints SET position = $2, updated_at = now() WHERE name = $1`, [
        this.checkpointName,
        last.globalPosition,
      ]);
    });
    this.progress.advance(last.globalPosition);
    this.options.health?.progressed?.(this.checkpointName, {
      position: last.globalPosition,
      occurredAt: last.occurredAt,
    });
  }

  private get checkpointName(): string {
    return `projection:${this.projection.name}`;
  }

  private async storedCheckpoint(sql: SqlClient): Promise<number> {
    const { rows } = await sql.query<{ position: string | number }>(
      `SELECT position FROM checkpoints WHERE name = $1`,
      [this.checkpointName],
    );
    return Number(rows[0]?.position ?? 0);
  }

  /**
   * The checkpoint, row-locked until the transaction ends (a second replica waits, then skips what
   * this one applied). The commit stays synchronous: with an asynchronous one a PostgreSQL crash
   * could take back a checkpoint this runner has already moved past in memory, and the events in
   * between would never be applied again.
   */
  private async claimCheckpoint(tx: SqlClient): Promise<number> {
    const { rows } = await tx.query<{ position: string | number }>(
      `SELECT position FROM checkpoints WHERE name = $1 FOR UPDATE`,
      [this.checkpointName],
    );
    return Number(rows[0]?.position ?? 0);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
