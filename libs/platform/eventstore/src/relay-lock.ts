import { Client, types as pgTypes, type CustomTypesConfig } from 'pg';
import { INT8_OID, parseSafeInt8 } from './safe-integer';
import type { SqlClient } from './sql-client';

/**
 * The right to relay one store into one stream. Holding it is what makes "one active relay per
 * store" true; `sql` is where the holder writes its checkpoint.
 */
export interface RelayLease {
  readonly sql: SqlClient;
  /** True once the lock may have been lost (its connection died): stop publishing, re-acquire. */
  readonly lost: boolean;
  release(): Promise<void>;
}

export interface RelayLock {
  /** Waits until the lock is ours (retrying) or `signal` aborts (then null). */
  acquire(signal: AbortSignal): Promise<RelayLease | null>;
}

/** Where a relay lock reports standing by and failing to connect (the relay passes its logger). */
export interface RelayLockLog {
  log(message: string): void;
  warn(message: string): void;
}

const consoleLog: RelayLockLog = {
  log: (message) => console.log(`[eventstore] ${message}`),
  warn: (message) => console.warn(`[eventstore] ${message}`),
};

/**
 * PostgreSQL session-level advisory lock on a connection of its own. Session level (not
 * `pg_try_advisory_xact_lock` in a pooled transaction) because the lock must live as long as the
 * relay, and it is released by PostgreSQL itself when the holder's process or connection dies, so
 * a standby takes over without any lease timeout to tune.
 *
 * The checkpoint is written through that same connection: a relay whose connection (hence lock)
 * is gone cannot move the checkpoint any more, which fences a stale relay off the new one's work.
 */
export class PgAdvisoryRelayLock implements RelayLock {
  constructor(
    private readonly databaseUrl: string,
    private readonly key: string,
    private readonly retryMs: number,
    private readonly logger: RelayLockLog = consoleLog,
  ) {}

  async acquire(signal: AbortSignal): Promise<RelayLease | null> {
    let client: Client | null = null;
    let waitingLogged = false;
    while (!signal.aborted) {
      try {
        client ??= await this.connect();
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
          [this.key],
        );
        if (rows[0]?.locked) return new PgLease(client);
        if (!waitingLogged) this.logger.log(`Another relay holds "${this.key}"; standing by`);
        waitingLogged = true;
      } catch (error) {
        this.logger.warn(`Cannot take relay lock "${this.key}": ${describeError(error)}`);
        await client?.end().catch(() => undefined);
        client = null;
      }
      await sleep(this.retryMs, signal);
    }
    await client?.end().catch(() => undefined);
    return null;
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: 'accord-relay-lock',
      types: int8AsNumber,
    });
    // Without a listener a dropped connection would crash the process; the lease notices instead.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }
}

class PgLease implements RelayLease {
  private ended = false;
  readonly sql: SqlClient;

  constructor(private readonly client: Client) {
    client.on('error', () => {
      this.ended = true;
    });
    client.on('end', () => {
      this.ended = true;
    });
    this.sql = singleConnectionSql(client);
  }

  get lost(): boolean {
    return this.ended;
  }

  async release(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    // Ending the session releases the advisory lock.
    await this.client.end().catch(() => undefined);
  }
}

/**
 * The checkpoint is a bigint column; callers of `SqlClient` get numbers (as from the store's own
 * pool), and a value a double cannot hold exactly is an error, never a rounded position.
 */
const int8AsNumber: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') return parseSafeInt8;
    return format === 'binary' ? pgTypes.getTypeParser(oid, 'binary') : pgTypes.getTypeParser(oid, 'text');
  }) as CustomTypesConfig['getTypeParser'],
};

/** A `SqlClient` over one dedicated connection (the lock holder's), for the checkpoint only. */
function singleConnectionSql(client: Client): SqlClient {
  const sql: SqlClient = {
    kind: 'pg',
    async query<Row>(text: string, params?: readonly unknown[]) {
      const result = await client.query(text, params as unknown[] | undefined);
      return { rows: result.rows as Row[] };
    },
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      await client.query('BEGIN');
      try {
        const result = await work(sql);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async close() {
      // owned by the lease
    },
  };
  return sql;
}

/**
 * PGlite lives inside one process, so no other process can relay it; this only stops two relays of
 * the same process (same SqlClient, same key) from running at once.
 */
export class InProcessRelayLock implements RelayLock {
  private static readonly held = new WeakMap<SqlClient, Set<string>>();

  constructor(
    private readonly sql: SqlClient,
    private readonly key: string,
    private readonly retryMs: number,
  ) {}

  async acquire(signal: AbortSignal): Promise<RelayLease | null> {
    let keys = InProcessRelayLock.held.get(this.sql);
    if (!keys) InProcessRelayLock.held.set(this.sql, (keys = new Set()));
    while (!signal.aborted) {
      if (!keys.has(this.key)) {
        keys.add(this.key);
        const held = keys;
        const key = this.key;
        let released = false;
        return {
          sql: this.sql,
          lost: false,
          async release() {
            if (!released) held.delete(key);
            released = true;
          },
        };
      }
      await sleep(this.retryMs, signal);
    }
    return null;
  }
}

/** A sleep that a shutdown can cut short, so a standby stops at once. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error)
    return String((error as { message: unknown }).message);
  return String(error);
}
