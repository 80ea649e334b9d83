import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { asAccordEnvelope, type AccordEnvelope, type EventEnvelope } from '@accord/contracts';
import type { EventStore, Subscription } from '@accord/eventstore';
import {
  DEFAULT_MAX_ATTEMPTS,
  describeFailure,
  failureOf,
  retryBounded,
  type ConsumerStatusReporter,
} from '@accord/messaging';
import { PositionWaiters, ReadModelFailedError, type ReadModelProgress } from '@accord/projections';
import { processHealth } from './consumer-health';
import { MIN_POSITION_WAIT_MS } from './read-your-writes';
import { StaleReadError } from './reply';

/**
 * A read model held in memory and fed by the event store from position 0 at every start: answers
 * cost map look-ups, never a database round trip, and `minPosition` waits work as for SQL ones.
 * Subclasses fold each Accord event in `fold` (its `data` narrows on `type`); the position
 * advances for every event, folded or not (an unknown type, from a newer writer, is skipped).
 * A fold that keeps throwing on one event stops this read model alone after bounded retries: it
 * is reported failed (`in-memory:<class name>`) and its waits fail fast (SEC-3a).
 */
export abstract class InMemoryReadModel implements ReadModelProgress, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly progress = new PositionWaiters();
  private subscription: Subscription | null = null;
  /**
   * The newest event committed when this process started (asked once; again after a failure). Not
   * the visible head: a transaction still running elsewhere holds that back, and a revoke committed
   * just before the start would then be answered without.
   */
  private startHead: Promise<number> | null = null;
  private readStartHistory = false;
  private abort = new AbortController();
  /** Reported to the health registry; retries per event before it stops. */
  protected health: ConsumerStatusReporter = processHealth;
  protected maxAttempts = DEFAULT_MAX_ATTEMPTS;
  protected retryDelayMs = 100;

  protected constructor(private readonly store: EventStore) {}

  /** The name it is reported under in the health registry. */
  get healthName(): string {
    return `in-memory:${this.constructor.name}`;
  }

  protected abstract fold(event: AccordEnvelope): void;

  /** Folds one event in (public so specs and benchmarks can feed it directly). */
  apply(event: EventEnvelope): void {
    const accord = asAccordEnvelope(event);
    if (accord) this.fold(accord);
    this.progress.advance(event.globalPosition);
  }

  onApplicationBootstrap(): void {
    const abort = new AbortController();
    this.abort = abort;
    this.health.report(this.healthName, { state: 'running' });
    this.subscription = this.store.subscribeAll(0, (event) => this.deliver(event, abort.signal));
    this.startHead = this.store.committedHeadPosition();
    this.startHead.catch(() => (this.startHead = null));
  }

  /**
   * Before answering a request: a replica still reading history at start would answer from a
   * partial model — a valid token unknown (401s at every deploy), a removed member or revoked
   * token still allowed. Until everything stored before the start is read, wait (bounded; `stale`
   * if not reached). After that, a no-op; newer writes come with `minPosition`.
   */
  async readyForRequests(): Promise<void> {
    if (this.readStartHistory) return;
    this.startHead ??= this.store.committedHeadPosition();
    const head = await this.startHead.catch((error: Error) => {
      this.startHead = null;
      throw error;
    });
    if (!(await this.waitFor(head, MIN_POSITION_WAIT_MS))) throw new StaleReadError(head);
    this.readStartHistory = true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.subscription?.close();
  }

  private async deliver(event: EventEnvelope, signal: AbortSignal): Promise<void> {
    const outcome = await retryBounded(async () => this.apply(event), {
      maxAttempts: this.maxAttempts,
      baseDelayMs: this.retryDelayMs,
      maxDelayMs: 5_000,
      signal,
    });
    if (outcome.ok) {
      this.health.progressed?.(this.healthName, { position: event.globalPosition, occurredAt: event.occurredAt });
      return;
    }
    if (outcome.aborted) throw new Error('read model stopping');
    const failure = failureOf(event, outcome.error);
    new Logger('InMemoryReadModel').error(describeFailure(`Read model ${this.healthName}`, failure, outcome.attempts));
    this.health.report(this.healthName, { state: 'failed', ...failure });
    this.progress.fail(new ReadModelFailedError(this.healthName));
    void this.subscription?.close();
    throw outcome.error;
  }

  position(): number {
    return this.progress.position();
  }

  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.progress.waitFor(position, timeoutMs);
  }

  async catchUp(timeoutMs: number): Promise<boolean> {
    return this.progress.waitFor(await this.store.committedHeadPosition(), timeoutMs);
  }
}
