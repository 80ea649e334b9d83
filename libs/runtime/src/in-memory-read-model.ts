import { type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventEnvelope } from '@accord/contracts';
import type { EventStore, Subscription } from '@accord/eventstore';
import { PositionWaiters, type ReadModelProgress } from '@accord/projections';
import { MIN_POSITION_WAIT_MS } from './read-your-writes';
import { StaleReadError } from './reply';

/**
 * A read model held in memory and fed by the event store from position 0 at every start: answers
 * cost map look-ups, never a database round trip, and `minPosition` waits work as for SQL ones.
 * Subclasses fold each event in `fold`; the position advances for every event, folded or not.
 */
export abstract class InMemoryReadModel implements ReadModelProgress, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly progress = new PositionWaiters();
  private subscription: Subscription | null = null;
  /** The store's head when this process started (asked once; asked again after a failure). */
  private startHead: Promise<number> | null = null;
  private readStartHistory = false;

  protected constructor(private readonly store: EventStore) {}

  protected abstract fold(event: EventEnvelope): void;

  /** Folds one event in (public so specs and benchmarks can feed it directly). */
  apply(event: EventEnvelope): void {
    this.fold(event);
    this.progress.advance(event.globalPosition);
  }

  onApplicationBootstrap(): void {
    this.subscription = this.store.subscribeAll(0, async (event) => this.apply(event));
    this.startHead = this.store.headPosition();
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
    this.startHead ??= this.store.headPosition();
    const head = await this.startHead.catch((error: Error) => {
      this.startHead = null;
      throw error;
    });
    if (!(await this.waitFor(head, MIN_POSITION_WAIT_MS))) throw new StaleReadError(head);
    this.readStartHistory = true;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }

  position(): number {
    return this.progress.position();
  }

  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.progress.waitFor(position, timeoutMs);
  }

  async catchUp(timeoutMs: number): Promise<boolean> {
    return this.progress.waitFor(await this.store.headPosition(), timeoutMs);
  }
}
