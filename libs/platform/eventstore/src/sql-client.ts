/**
 * The few SQL calls Accord makes, so the same statements run on `pg` (server) and PGlite
 * (embedded). Parameters are `$1…`; rows come back as plain objects.
 */
export interface SqlClient {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
  /** Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** PGlite is one connection in this process; pg is a pool. Some callers need to know (locks). */
  readonly kind: 'pg' | 'pglite';
  close(): Promise<void>;
}
