import { PgSqlClient } from './pg-sql-client';
import { PgliteSqlClient } from './pglite-sql-client';
import type { SqlClient } from './sql-client';

/** PostgreSQL server (services profile) or embedded PGlite (embedded profile; in memory without dataDir). */
export type SqlClientConfig =
  { readonly databaseUrl: string; readonly poolSize?: number } | { readonly dataDir?: string };

/** Opens the SqlClient a profile asks for. The caller owns it and closes it. */
export async function createSqlClient(config: SqlClientConfig): Promise<SqlClient> {
  if ('databaseUrl' in config) return new PgSqlClient(config);
  return PgliteSqlClient.open(config.dataDir);
}
