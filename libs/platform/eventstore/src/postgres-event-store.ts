import type { EventEnvelope } from '@accord/contracts';
import { AppendAnnouncer, appendValidated, EVENTS_CHANNEL } from './append';
import { validateAppend } from './append-validation';
import { CatchUpSubscription, type CatchUpHandlers } from './catch-up-subscription';
import {
  WrongExpectedVersionError,
  type AppendResult,
  type BatchHandler,
  type EventHandler,
  type EventQuery,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type Subscription,
} from './event-store';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from './event-rows';
import { eventQuerySql } from './event-query';
import { validateAccordEvent, type EventValidator } from './event-validation';
import { VISIBLE_HORIZON_SQL } from './global-position';
import { supportsNotifications } from './listen-notify';
import { ensureEventStoreSchema } from './schema';
import { SharedReads } from './shared-reads';
import type { SqlClient } from './sql-client';

export interface PostgresEventStoreOptions {
  /** Subscriptions look for new events at least this often (default and maximum: 50 ms). */
  readonly pollIntervalMs?: number;
  /** Events read per query while a subscription catches up (default 500). */
  readonly batchSize?: number;
  /**
   * Checks every event before append (SEC-2b). Default: `validateAccordEvent`, Accord's
   * event schemas; `acceptAnyEvent` only for tests of the store's own mechanics.
   */
  readonly validateEvent?: EventValidator;
  /** Told of every append's outcome and duration (the process's metrics). */
  readonly observer?: AppendObserver;
}

/**
 * What an append came to: `conflict` is optimistic concurrency (another writer moved the stream;
 * the command handler retries), `error` anything else (a refused event, the database).
 */
export type AppendOutcome = 'ok' | 'conflict' | 'error';

/** Told of each append: its outcome, how many events it carried and how long it took. */
export interface AppendObserver {
  appended(outcome: AppendOutcome, events: number, seconds: number): void;
}

const MAX_POLL_INTERVAL_MS = 50;

/**
 * EventStore on PostgreSQL, through `pg` (server) or PGlite (embedded): the same SQL on both.
 * Ordering and visibility rules are in global-position.ts; the append in append.ts.
 * `close()` ends this store's subscriptions; the SqlClient belongs to the caller.
 */
export class PostgresEventStore implements EventStore {
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly validateEvent: EventValidator;
  private readonly observer: AppendObserver | undefined;
  /** On a server only: PGlite is one connection, where the NOTIFY serializes nothing. */
  private readonly announcer: AppendAnnouncer | null;
  /** The subscriptions' reads, shared by those at the same cursor (shared-reads.ts). */
  private readonly sharedReads: SharedReads;
  private closed = false;

  constructor(
    private readonly sql: SqlClient,
    options: PostgresEventStoreOptions = {},
  ) {
    this.pollIntervalMs = Math.min(options.pollIntervalMs ?? MAX_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS);
    this.batchSize = options.batchSize ?? 500;
    this.validateEvent = options.validateEvent ?? validateAccordEvent;
    this.observer = options.observer;
    this.announcer = sql.kind === 'pg' ? new AppendAnnouncer(sql) : null;
    this.sharedReads = new SharedReads((after, limit) => this.readAll(after, limit), this.pollIntervalMs);
  }

  /**
   * Validates every event (see `validateEvent`) before any SQL runs: a violation stores nothing.
   * Then one statement in autocommit, its own transaction (append.ts); once it committed, this
   * store's subscriptions read at once and other processes' are notified.
   */
  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    const observer = this.observer;
    if (!observer) return this.appendUnobserved(streamId, events, expected);
    const started = performance.now();
    let outcome: AppendOutcome = 'error';
    try {
      const result = await this.appendUnobserved(streamId, events, expected);
      outcome = 'ok';
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) outcome = 'conflict';
      throw error;
    } finally {
      observer.appended(outcome, events.length, (performance.now() - started) / 1000);
    }
  }

  private async appendUnobserved(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    validateAppend(streamId, events, expected, this.validateEvent);
    const result = await appendValidated(this.sql, streamId, events, expected, { notify: !this.announcer });
    if (events.length > 0) {
      this.wakeSubscriptions();
      this.announcer?.announce();
    }
    return result;
  }

  /** Not limited by the readers' horizon: a command must decide on every committed event. */
  async readStream(streamId: string, options?: { readonly fromVersion?: number }): Promise<EventEnvelope[]> {
    const fromVersion = options?.fromVersion ?? 0;
    assertPosition('fromVersion', fromVersion);
    const { rows } = await this.sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_position >= $2 ORDER BY stream_position`,
      [streamId, fromVersion],
    );
    return rows.map(toEnvelope);
  }

  async readAll(after: number, limit: number): Promise<EventEnvelope[]> {
    assertPosition('after', after);
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
    // The first `limit` events after the cursor, then those below the horizon: the same rows as
    // filtering first (whatever lies above the horizon comes last in this order), but the plan is
    // an index scan that stops after `limit` rows even without table statistics (PGlite never
    // analyzes, a new server table not until autovacuum does), where a range on an expression of
    // unknown value made the planner fetch and sort every event after the cursor.
    const { rows } = await this.sql.query<EventRow>(
      `SELECT * FROM (
         SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2
       ) AS next WHERE global_position < (SELECT ${VISIBLE_HORIZON_SQL})
       ORDER BY global_position`,
      [after, limit],
    );
    return rows.map(toEnvelope);
  }

  /** Filters and horizon in one statement (event-query.ts). */
  async readEvents(query: EventQuery): Promise<EventEnvelope[]> {
    const { text, params } = eventQuerySql(query);
    const { rows } = await this.sql.query<EventRow>(text, params);
    return rows.map(toEnvelope);
  }

  async headPosition(): Promise<number> {
    const { rows } = await this.sql.query<{ head: number }>(
      `SELECT COALESCE(max(global_position), 0) AS head FROM events WHERE global_position < ${VISIBLE_HORIZON_SQL}`,
    );
    return rows[0]?.head ?? 0;
  }

  async committedHeadPosition(): Promise<number> {
    const { rows } = await this.sql.query<{ head: number }>(
      `SELECT COALESCE(max(global_position), 0) AS head FROM events`,
    );
    return rows[0]?.head ?? 0;
  }

  /**
   * How many events readers can see after `position`, counting no further than `cap` (a
   * consumer's lag in events, for metrics: positions are not dense, so `head − position` is not a count).
   */
  async countEventsAfter(position: number, cap: number): Promise<number> {
    assertPosition('position', position);
    const { rows } = await this.sql.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE global_position > $1 AND global_position < ${VISIBLE_HORIZON_SQL}
        ORDER BY global_position LIMIT $2) AS waiting`,
      [position, cap],
    );
    return Number(rows[0]?.n ?? 0);
  }

  subscribeAll(after: number, handler: EventHandler): Subscription {
    return this.subscribe(after, { handler });
  }

  subscribeAllBatches(after: number, handler: BatchHandler): Subscription {
    return this.subscribe(after, { batchHandler: handler });
  }

  private subscribe(after: number, handlers: CatchUpHandlers): Subscription {
    if (this.closed) throw new Error('The event store is closed');
    assertPosition('after', after);
    const subscription: CatchUpSubscription = new CatchUpSubscription({
      read: (from, limit) => this.sharedReads.readAll(from, limit),
      ...handlers,
      after,
      batchSize: this.batchSize,
      pollIntervalMs: this.pollIntervalMs,
      onClosed: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    if (supportsNotifications(this.sql))
      subscription.wakeOn(
        this.sql.listen(EVENTS_CHANNEL, () => {
          this.sharedReads.invalidate();
          subscription.wake();
        }),
      );
    return subscription;
  }

  /** After an append here: drop shared answers first, so the woken subscriptions read afresh. */
  private wakeSubscriptions(): void {
    this.sharedReads.invalidate();
    for (const subscription of this.subscriptions) subscription.wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.announcer?.settled();
  }
}

/**
 * Ensures the schema, then returns a store on `sql` (validating Accord's event schemas unless `options.validateEvent`
 * says otherwise).
 */
export async function createEventStore(
  sql: SqlClient,
  options?: PostgresEventStoreOptions,
): Promise<PostgresEventStore> {
  await ensureEventStoreSchema(sql);
  return new PostgresEventStore(sql, options);
}

function assertPosition(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}
