/**
 * Work a service repeats on a timer: sweeps of what time made due, outbox workers. At most one
 * round runs at a time — a tick that finds the previous round still going is skipped, so a slow
 * round never piles up behind itself. A failed round is logged by the error's name only (its
 * message may carry data) and the next tick tries again.
 */
export class RepeatingRound {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    /** Names the round in the log line of a failure, e.g. "delivery round". */
    private readonly name: string,
    private readonly round: () => Promise<unknown>,
    private readonly warn: (line: string) => void,
  ) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.round()
        .then(
          () => undefined,
          (error: Error) => this.warn(`${this.name} failed: ${error.name}`),
        )
        .finally(() => (this.running = null));
    }, everyMs);
  }

  /** Stops the timer and waits for a round in progress, so shutdown never cuts one in half. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
