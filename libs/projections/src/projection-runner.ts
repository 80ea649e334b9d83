import type { EventEnvelope } from '@accord/contracts';
import type { EventStore, SqlClient, Subscription } from '@accord/eventstore';
import { PositionWaiters, type ReadModelProgress } from './position-waiters';
import type { Projection } from './projection';

/**
 * Feeds one projection from the event store. Each event is applied and the checkpoint moved in
 * ONE transaction, guarded by the stored checkpoint (row-locked), so a redelivered event or a
 * second replica applying the same event changes nothing: exactly-once effect on the read model.
 */
export class ProjectionRunner implements ReadModelProgress {
  private subscription: Subscription | null = null;
  private readonly progress = new PositionWaiters();

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
    this.progress.reset(await this.storedCheckpoint(this.sql));
    this.subscription = this.store.subscribeAll(this.progress.position(), (event) => this.handle(event));
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
    this.progress.reset(this.progress.position());
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
    this.progress.advance(event.globalPosition);
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
}
