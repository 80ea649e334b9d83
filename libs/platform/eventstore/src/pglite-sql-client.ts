import type { NotificationSource } from './listen-notify';
import {
  inOurRealm,
  loadPglite,
  pgliteParsers,
  pgliteSerializers,
  type PGlite,
  type Transaction,
} from './pglite-module';
import { withSavepoint } from './savepoint';
import type { SqlClient } from './sql-client';

/**
 * SqlClient over embedded PGlite: ONE connection in this process. PGlite serializes every call;
 * while `transaction` runs, queries on this outer client wait until it ends, so work inside a
 * transaction must only use the `tx` it is given (awaiting the outer client there deadlocks).
 */
export class PgliteSqlClient implements SqlClient, NotificationSource {
  readonly kind = 'pglite' as const;

  private constructor(private readonly db: PGlite) {}

  /** Opens (or creates) the database in `dataDir`; in memory when undefined. */
  static async open(dataDir?: string): Promise<PgliteSqlClient> {
    const { PGlite: Pglite } = loadPglite();
    const db = await Pglite.create({ dataDir, parsers: pgliteParsers, serializers: pgliteSerializers }).catch(
      (error: unknown) => {
        throw inOurRealm(error);
      },
    );
    return new PgliteSqlClient(db);
  }

  async query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: Row[] }> {
    try {
      const result = await this.db.query<Row>(text, params ? [...params] : undefined);
      return { rows: result.rows };
    } catch (error) {
      throw inOurRealm(error);
    }
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction((tx) => work(new PgliteTransactionClient(tx)));
    } catch (error) {
      throw inOurRealm(error);
    }
  }

  async listen(channel: string, onNotification: () => void): Promise<() => Promise<void>> {
    const unlisten = await this.db.listen(channel, () => onNotification());
    return () => unlisten();
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

class PgliteTransactionClient implements SqlClient {
  readonly kind = 'pglite' as const;
  private savepoints = 0;

  constructor(private readonly tx: Transaction) {}

  async query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: Row[] }> {
    try {
      const result = await this.tx.query<Row>(text, params ? [...params] : undefined);
      return { rows: result.rows };
    } catch (error) {
      throw inOurRealm(error);
    }
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return withSavepoint(this, `accord_sp_${++this.savepoints}`, work);
  }

  close(): Promise<void> {
    return Promise.reject(new Error('A transaction client is closed by its transaction, not by close()'));
  }
}
