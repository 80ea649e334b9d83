import { type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventEnvelope } from '@accord/contracts';
import type { EventStore, Subscription } from '@accord/eventstore';
import { PositionWaiters, type ReadModelProgress } from '@accord/projections';

/**
 * A read model held in memory and fed by the event store from position 0 at every start: answers
 * cost map look-ups, never a database round trip, and `minPosition` waits work as for SQL ones.
 * Subclasses fold each event in `fold`; the position advances for every event, folded or not.
 */
export abstract class InMemoryReadModel implements ReadModelProgress, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly progress = new PositionWaiters();
  private subscription: Subscription | null = null;

  protected constructor(private readonly store: EventStore) {}

  protected abstract fold(event: EventEnvelope): void;

  /** Folds one event in (public so specs and benchmarks can feed it directly). */
  apply(event: EventEnvelope): void {
    this.fold(event);
    this.progress.advance(event.globalPosition);
  }

  onApplicationBootstrap(): void {
    this.subscription = this.store.subscribeAll(0, async (event) => this.apply(event));
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
