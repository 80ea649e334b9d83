import type { EventEnvelope } from '@accord/contracts';
import type { EventStore, SqlClient, Subscription } from '@accord/eventstore';
import type { Projection } from './projection';

/**
 * Feeds one projection from the event store. Each event is applied and the checkpoint moved in
 * ONE transaction, guarded by the stored checkpoint (row-locked), so a redelivered event or a
 * second replica applying the same event changes nothing: exactly-once effect on the read model.
 */
export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private reached = 0;
  private waiters: Array<{ position: number; resolve: (reached: boolean) => void }> = [];

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    readonly projection: Projection,
  ) {}

  async start(): Promise<void> {
    await this.projection.setup(this.sql);
    await this.sql.query(
      `INSERT INTO checkpoints (name, position, updated_at) VALUES ($1, 0, now()) ON CONFLICT (name) DO NOTHING`,
      [this.checkpointName],
    );
    this.reached = await this.storedCheckpoint(this.sql);
    this.subscription = this.store.subscribeAll(this.reached, (event) => this.handle(event));
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(false);
  }

  /** The global position this read model has applied up to. */
  position(): number {
    return this.reached;
  }

  /** Resolves true once the read model has reached `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.reached >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /**
   * Wait (bounded) until this read model has applied everything the store holds right now.
   * Used before answering "no" (not a member, no such invitation): lag must never deny.
   */
  async catchUp(timeoutMs: number): Promise<boolean> {
    return this.waitFor(await this.store.headPosition(), timeoutMs);
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

  /** Applies one event (public for the duplicate-delivery test; the subscription calls it). */
  async handle(event: EventEnvelope): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const checkpoint = await this.storedCheckpoint(tx, true);
      if (event.globalPosition <= checkpoint) return;
      if (this.projection.types.includes(event.type)) await this.projection.apply(tx, event);
      await tx.query(`UPDATE checkpoints SET position = $2, updated_at = now() WHERE name = $1`, [
        this.checkpointName,
        event.globalPosition,
      ]);
    });
    this.advance(event.globalPosition);
  }

  private get checkpointName(): string {
    return `projection:${this.projection.name}`;
  }

  private async storedCheckpoint(sql: SqlClient, lock = false): Promise<number> {
    const { rows } = await sql.query<{ position: string | number }>(
      `SELECT position FROM checkpoints WHERE name = $1${lock ? ' FOR UPDATE' : ''}`,
      [this.checkpointName],
    );
    return Number(rows[0]?.position ?? 0);
  }

  private advance(position: number): void {
    if (position <= this.reached) return;
    this.reached = position;
    const [done, waiting] = partition(this.waiters, (w) => w.position <= position);
    this.waiters = waiting;
    for (const waiter of done) waiter.resolve(true);
  }
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
