import type { EventEnvelope } from '@accord/contracts';
import type { BatchHandler, EventHandler, Subscription } from './event-store';

/** Each event on its own (`handler`), or each batch read as a whole (`batchHandler`). */
export type CatchUpHandlers =
  | { readonly handler: EventHandler; readonly batchHandler?: never }
  | { readonly batchHandler: BatchHandler; readonly handler?: never };

export type CatchUpSubscriptionOptions = CatchUpHandlers & {
  /** Visible events after `after` (exclusive), in global order: EventStore.readAll. */
  readonly read: (after: number, limit: number) => Promise<readonly EventEnvelope[]>;
  readonly after: number;
  readonly batchSize: number;
  /** Longest wait before looking again when nothing woke the subscription. */
  readonly pollIntervalMs: number;
  readonly onClosed?: () => void;
};

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
  /** The next page, read while the handler works on this one (catching up: the page was full). */
  private ahead: { readonly after: number; readonly page: Promise<readonly EventEnvelope[]> } | null = null;
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
    // A page read ahead before this wake may lack the new events: read afresh instead.
    this.ahead = null;
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
        const page: Promise<readonly EventEnvelope[]> =
          this.ahead?.after === this.cursor ? this.ahead.page : this.options.read(this.cursor, this.options.batchSize);
        this.ahead = null;
        batch = await page;
        readFailures = 0;
        const last = batch.at(-1);
        if (last && batch.length >= this.options.batchSize) {
          const next = this.options.read(last.globalPosition, this.options.batchSize);
          next.catch(() => undefined); // a failed read-ahead is read again, and reported, in turn
          this.ahead = { after: last.globalPosition, page: next };
        }
      } catch (error) {
        readFailures += 1;
        console.warn(`[eventstore] subscription read failed (attempt ${readFailures}), retrying: ${describe(error)}`);
        await this.sleep(backoff(readFailures), false);
        continue;
      }
      // Defensive: never deliver an event twice, whatever a read returned.
      const fresh = batch.filter((event) => event.globalPosition > this.cursor);
      if (!(await this.deliverAll(fresh))) return;
      if (batch.length < this.options.batchSize && !this.notified) await this.sleep(this.options.pollIntervalMs, true);
    }
  }

  /** Delivers `events` and moves the cursor; false when the subscription closed first. */
  private async deliverAll(events: readonly EventEnvelope[]): Promise<boolean> {
    const last = events.at(-1);
    if (!last) return true;
    const { handler, batchHandler } = this.options;
    if (batchHandler) {
      if (!(await this.deliver(() => batchHandler(events), `batch of ${events.length} ending with`, last)))
        return false;
      this.cursor = last.globalPosition;
      return true;
    }
    for (const event of events) {
      if (!(await this.deliver(() => handler(event), 'event', event))) return false;
      this.cursor = event.globalPosition;
    }
    return true;
  }

  /** Runs `handle` until it resolves; false when the subscription closed before it could. */
  private async deliver(handle: () => Promise<void>, what: string, event: EventEnvelope): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.closing) return false;
      try {
        await handle();
        return true;
      } catch (error) {
        // Closed from the handler (its owner gave up on this event) or while it ran: stop here.
        if (this.closing) return false;
        // Id, type and position only: event data may hold personal data and must not reach logs.
        console.warn(
          `[eventstore] subscription handler failed on ${what} ${event.id} (${event.type}) at position ` +
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
