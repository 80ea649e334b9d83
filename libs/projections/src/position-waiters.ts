/**
 * The position a read model has reached, and the callers waiting for it (read-your-writes).
 * Shared by the SQL projection runner and the in-memory read models.
 */
export class PositionWaiters {
  private reached = 0;
  private waiters: Array<{ position: number; resolve: (reached: boolean) => void }> = [];

  position(): number {
    return this.reached;
  }

  /** Resolves true once `position` is reached, false after `timeoutMs`. */
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

  /** Record progress and wake everyone waiting for a position at or below it. */
  advance(position: number): void {
    if (position <= this.reached) return;
    this.reached = position;
    const done = this.waiters.filter((w) => w.position <= position);
    if (done.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.position > position);
    for (const waiter of done) waiter.resolve(true);
  }

  /** Start again from `position` (a rebuild), failing everyone still waiting. */
  reset(position: number): void {
    this.reached = position;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(false);
  }
}

/** What read-your-writes needs of any read model, SQL-backed or in memory. */
export interface ReadModelProgress {
  position(): number;
  waitFor(position: number, timeoutMs: number): Promise<boolean>;
  /** Wait until everything the store holds right now is applied. */
  catchUp(timeoutMs: number): Promise<boolean>;
}
