/**
 * The position a read model has reached, and the callers waiting for it (read-your-writes).
 * Shared by the SQL projection runner and the in-memory read models.
 */
export class PositionWaiters {
  private reached = 0;
  private failure: Error | null = null;
  private waiters: Array<{ position: number; resolve: (reached: boolean) => void; reject: (error: Error) => void }> =
    [];

  position(): number {
    return this.reached;
  }

  /** The error waiters get while the read model is failed (see `fail`), else null. */
  failed(): Error | null {
    return this.failure;
  }

  /**
   * Resolves true once `position` is reached, false after `timeoutMs`. Rejects at once with the
   * failure when the read model has stopped on a bad event before reaching `position`.
   */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.reached >= position) return Promise.resolve(true);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const waiter = {
        position,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          resolve(reached);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
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

  /** The read model stopped on an event: fail everyone waiting, and every later wait, with `error`. */
  fail(error: Error): void {
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  /** Start again from `position` (a rebuild or a restart), failing everyone still waiting. */
  reset(position: number): void {
    this.reached = position;
    this.failure = null;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(false);
  }
}

/** What read-your-writes needs of any read model, SQL-backed or in memory. */
export interface ReadModelProgress {
  position(): number;
  /** Resolves false on timeout; rejects with `ReadModelFailedError` when the read model has failed. */
  waitFor(position: number, timeoutMs: number): Promise<boolean>;
  /**
   * Wait until everything committed to the store right now is applied — also what a transaction
   * still running elsewhere keeps readers from seeing yet (`EventStore.committedHeadPosition`).
   */
  catchUp(timeoutMs: number): Promise<boolean>;
}
