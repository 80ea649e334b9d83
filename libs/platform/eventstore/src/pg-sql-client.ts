import { Pool, types as pgTypes, type CustomTypesConfig, type PoolClient, type PoolConfig } from 'pg';
import type { NotificationSource } from './listen-notify';
import { PgNotificationListener } from './pg-notification-listener';
import { INT8_OID, parseSafeInt8 } from './safe-integer';
import { withSavepoint } from './savepoint';
import type { SqlClient } from './sql-client';

/**
 * int8 columns become numbers (or an error when unsafe) on this pool only: changing pg's global
 * parser would alter every other pg user in the process.
 */
const safeInt8Types: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') return parseSafeInt8;
    return format === 'binary' ? pgTypes.getTypeParser(oid, 'binary') : pgTypes.getTypeParser(oid, 'text');
  }) as CustomTypesConfig['getTypeParser'],
};

export interface PgSqlClientOptions {
  readonly databaseUrl: string;
  /** Pool size (default 10). */
  readonly poolSize?: number;
}

/** SqlClient over a `pg.Pool`; also LISTEN through one dedicated connection. */
export class PgSqlClient implements SqlClient, NotificationSource {
  readonly kind = 'pg' as const;
  private readonly pool: Pool;
  private readonly listener: PgNotificationListener;
  private closed = false;

  constructor(options: PgSqlClientOptions) {
    const config: PoolConfig = {
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: safeInt8Types,
    };
    this.pool = new Pool(config);
    // An idle pooled connection that dies emits 'error' on the pool; unhandled, it would crash
    // the process. The pool discards that connection by itself. After close() such errors are
    // expected (pool.end() does not wait for the server side) and not worth a warning.
    this.pool.on('error', (error) => {
      if (!this.closed) console.warn(`[eventstore] idle PostgreSQL connection failed: ${error.message}`);
    });
    this.listener = new PgNotificationListener({ connectionString: options.databaseUrl, types: safeInt8Types });
  }

  async query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: Row[] }> {
    const result = await this.pool.query({ text, values: params ? [...params] : undefined });
    return { rows: result.rows as Row[] };
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // The pool listens for errors only on idle connections. One that dies while checked out (a
    // PostgreSQL restart between two statements of this transaction) emits 'error' here, which
    // unheard would crash the process; heard, the next statement fails and the connection is
    // destroyed on release.
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      try {
        const result = await work(new PgTransactionClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      }
    } finally {
      client.removeListener('error', onError);
      // A connection whose ROLLBACK failed (or that died) is in an unknown state: destroy it.
      client.release(broken);
    }
  }

  listen(channel: string, onNotification: () => void): Promise<() => Promise<void>> {
    return this.listener.listen(channel, onNotification);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener.close();
    await this.pool.end();
  }
}

/** The connection of one open transaction; nested `transaction` calls become savepoints. */
class PgTransactionClient implements SqlClient {
  readonly kind = 'pg' as const;
  private savepoints = 0;

  constructor(private readonly client: PoolClient) {}

  async query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: Row[] }> {
    const result = await this.client.query({ text, values: params ? [...params] : undefined });
    return { rows: result.rows as Row[] };
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return withSavepoint(this, `accord_sp_${++this.savepoints}`, work);
  }

  close(): Promise<void> {
    return Promise.reject(new Error('A transaction client is closed by its transaction, not by close()'));
  }
}
