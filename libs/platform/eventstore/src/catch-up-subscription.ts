import type { EventEnvelope } from '@accord/contracts';
import type { EventHandler, Subscription } from './event-store';

export interface CatchUpSubscriptionOptions {
  /** Visible events after `after` (exclusive), in global order: EventStore.readAll. */
  readonly read: (after: number, limit: number) => Promise<readonly EventEnvelope[]>;
  readonly handler: EventHandler;
  readonly after: number;
  readonly batchSize: number;
  /** Longest wait before looking again when nothing woke the subscription. */
  readonly pollIntervalMs: number;
  readonly onClosed?: () => void;
}

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 1_000;

/**
 * Reads in batches from a cursor, then keeps polling (and reading at once when woken by a
 * notification). Delivery guarantees, per subscription: in global order, each event once; the
 * cursor moves past an event only after its handler resolved, and a failing handler is retried
 * on the same event with backoff, never skipped. Polling is not optional: an event below the
 * readers' horizon becomes visible when an OLDER transaction ends, and that sends no notification.
 *
 * The subscription itself never gives up (the relay must not). Owners that bound their retries
 * (SEC-3a, SEC-3b: projections, read models, consumers) retry inside their handler, and when
 * they give up they call `close()` and throw: the subscription then ends at once on that event,
 * its cursor still before it, without another attempt.
 */
export class CatchUpSubscription implements Subscription {
  private cursor: number;
  private closing = false;
  private closed: Promise<void> | null = null;
  private notified = false;
  private endSleep: ((reason: 'notified' | 'closing') => void) | null = null;
  private unlisten: Promise<(() => Promise<void>) | null> = Promise.resolve(null);
  private readonly running: Promise<void>;

  constructor(private readonly options: CatchUpSubscriptionOptions) {
    this.cursor = options.after;
    this.running = this.run();
  }

  /** New events may be visible: read now rather than at the next poll. */
  wake(): void {
    this.notified = true;
    this.endSleep?.('notified');
  }

  /** Keeps `listening` (an unsubscribe function to be) until close. Failure only costs latency. */
  wakeOn(listening: Promise<() => Promise<void>>): void {
    this.unlisten = listening.catch((error: unknown) => {
      console.warn(`[eventstore] subscription cannot LISTEN, polling only: ${describe(error)}`);
      return null;
    });
  }

  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    this.closing = true;
    this.endSleep?.('closing');
    await this.running;
    const unlisten = await this.unlisten;
    await unlisten?.().catch(() => undefined);
    this.options.onClosed?.();
  }

  private async run(): Promise<void> {
    let readFailures = 0;
    while (!this.closing) {
      this.notified = false;
      let batch: readonly EventEnvelope[];
      try {
        batch = await this.options.read(this.cursor, this.options.batchSize);
        readFailures = 0;
      } catch (error) {
        readFailures += 1;
        console.warn(`[eventstore] subscription read failed (attempt ${readFailures}), retrying: ${describe(error)}`);
        await this.sleep(backoff(readFailures), false);
        continue;
      }
      for (const event of batch) {
        if (event.globalPosition <= this.cursor) continue; // defensive: never deliver twice
        if (!(await this.deliver(event))) return;
        this.cursor = event.globalPosition;
      }
      if (batch.length < this.options.batchSize && !this.notified) await this.sleep(this.options.pollIntervalMs, true);
    }
  }

  /** False when the subscription closed before the event could be delivered. */
  private async deliver(event: EventEnvelope): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.closing) return false;
      try {
        await this.options.handler(event);
        return true;
      } catch (error) {
        // Closed from the handler (its owner gave up on this event) or while it ran: stop here.
        if (this.closing) return false;
        // Id, type and position only: event data may hold personal data and must not reach logs.
        console.warn(
          `[eventstore] subscription handler failed on event ${event.id} (${event.type}) at position ` +
            `${event.globalPosition}, attempt ${attempt}; retrying: ${describe(error)}`,
        );
        await this.sleep(backoff(attempt), false);
      }
    }
  }

  /** Ends early on close, and on a notification when `wakeOnNotify` (not during retry backoff). */
  private sleep(ms: number, wakeOnNotify: boolean): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.endSleep = null;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.endSleep = (reason) => {
        if (reason === 'closing' || wakeOnNotify) finish();
      };
    });
  }
}

function backoff(attempt: number): number {
  return Math.min(RETRY_MIN_MS * 2 ** (attempt - 1), RETRY_MAX_MS);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
