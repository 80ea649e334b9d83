import type { SqlClient } from '@accord/eventstore';

/**
 * Read-model tables are named without a schema, so a projection's own `setup` and `apply` build a
 * copy of its read model in another schema when that schema comes first on the search path. The
 * event store's tables (`events`, `checkpoints`) are never created there, so they still resolve
 * to the live ones.
 */

/** The shadow schema of a projection: one per projection name, replaced by each rebuild. */
export function shadowSchemaName(projectionName: string): string {
  return `accord_rebuild_${projectionName.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`.slice(0, 63);
}

/** `name` as an SQL identifier. Names come from the projections' code or the catalog, never from input. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** For the rest of `tx`: unqualified names resolve in `schema` first, then in public. */
export async function useShadow(tx: SqlClient, schema: string): Promise<void> {
  await tx.query(`SET LOCAL search_path TO ${quoteIdent(schema)}, public`);
}

/** Drops `schema` and everything in it, then creates it empty. */
export async function recreateSchema(sql: SqlClient, schema: string): Promise<void> {
  await sql.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  await sql.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
}

/** The tables of `schema`, by name. */
export async function tablesIn(sql: SqlClient, schema: string): Promise<string[]> {
  const { rows } = await sql.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [schema],
  );
  return rows.map((r) => r.table_name);
}

/** The column names of `schema.table`, sorted; empty when there is no such table. */
export async function columnsOf(sql: SqlClient, schema: string, table: string): Promise<string[]> {
  const { rows } = await sql.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name`,
    [schema, table],
  );
  return rows.map((r) => r.column_name);
}
