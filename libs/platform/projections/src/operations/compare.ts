import type { EventEnvelope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { assertHeld, feedWithin, liveCheckpoint, type ShadowBuild } from './rebuild';
import { columnsOf, quoteIdent } from './shadow-schema';

/** Rows shown per side of a differing table. */
const SAMPLES = 3;
/** Longest sample row shown (JSON text). */
const MAX_SAMPLE_LENGTH = 300;

/** How one read-model table differs from its rebuild (rows compared as multisets). */
export interface TableComparison {
  readonly table: string;
  /** Live rows the rebuild does not have (counted with multiplicity). */
  readonly onlyLive: number;
  /** Rebuilt rows the live table does not have. */
  readonly onlyRebuilt: number;
  /** A few of each, as JSON text (read models hold no secrets: token hashes are hashes). */
  readonly samplesOnlyLive: readonly string[];
  readonly samplesOnlyRebuilt: readonly string[];
  /** Set when the rows could not be compared: no live table, or other columns. */
  readonly problem?: string;
}

/** The outcome of comparing a rebuilt read model with the live one at the same position. */
export interface ReadModelComparison {
  readonly projection: string;
  /** The global position both were at when compared (the live checkpoint). */
  readonly position: number;
  readonly equal: boolean;
  readonly tables: readonly TableComparison[];
}

/**
 * Compares the shadow with the live read model, in one transaction holding the live checkpoint
 * row (`FOR UPDATE`: the runner waits, so the live tables stand still): the shadow first catches
 * up to that checkpoint, then every table is compared with its live namesake. The shadow stays,
 * and so does the build's rebuild lock (drop both with `discardShadow`, or swap the shadow in).
 */
export function compareWithLive<E extends EventEnvelope>(
  sql: SqlClient,
  build: ShadowBuild<E>,
): Promise<ReadModelComparison> {
  return sql.transaction((tx) => catchUpAndCompare(tx, build));
}

/** Inside a transaction: lock the live checkpoint, catch the shadow up to it, compare. */
export async function catchUpAndCompare<E extends EventEnvelope>(
  tx: SqlClient,
  build: ShadowBuild<E>,
): Promise<ReadModelComparison> {
  assertHeld(build);
  const live = await liveCheckpoint(tx, build.projection.name, true);
  if (live < build.position)
    throw new Error(
      `The live checkpoint of ${build.projection.name} (${live}) is behind the rebuild (${build.position}): ` +
        `the live read model was reset meanwhile; rebuild again`,
    );
  await feedWithin(tx, build, live);
  if (build.position !== live)
    throw new Error(`The rebuild of ${build.projection.name} could not reach the live checkpoint ${live}`);
  const tables: TableComparison[] = [];
  for (const table of build.tables) tables.push(await compareTable(tx, build.schema, table));
  return {
    projection: build.projection.name,
    position: live,
    equal: tables.every((t) => t.onlyLive === 0 && t.onlyRebuilt === 0 && !t.problem),
    tables,
  };
}

async function compareTable(tx: SqlClient, schema: string, table: string): Promise<TableComparison> {
  const rebuilt = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const live = `public.${quoteIdent(table)}`;
  const liveColumns = await columnsOf(tx, 'public', table);
  const rebuiltColumns = await columnsOf(tx, schema, table);
  if (liveColumns.join() !== rebuiltColumns.join()) {
    const problem =
      liveColumns.length === 0
        ? 'no live table'
        : `other columns: live (${liveColumns.join(', ')}), rebuilt (${rebuiltColumns.join(', ')})`;
    return {
      table,
      onlyLive: liveColumns.length === 0 ? 0 : await count(tx, live),
      onlyRebuilt: await count(tx, rebuilt),
      samplesOnlyLive: [],
      samplesOnlyRebuilt: [],
      problem,
    };
  }
  // Rows as jsonb: equal whatever the column order, and comparable for every column type
  // (`json` columns have no equality operator of their own).
  const difference = (from: string, minus: string) =>
    `SELECT to_jsonb(a) AS r FROM ${from} a EXCEPT ALL SELECT to_jsonb(b) FROM ${minus} b`;
  const { rows } = await tx.query<{ only_live: string | number; only_rebuilt: string | number }>(
    `SELECT (SELECT count(*) FROM (${difference(live, rebuilt)}) l) AS only_live,
            (SELECT count(*) FROM (${difference(rebuilt, live)}) r) AS only_rebuilt`,
  );
  const onlyLive = Number(rows[0]?.only_live ?? 0);
  const onlyRebuilt = Number(rows[0]?.only_rebuilt ?? 0);
  return {
    table,
    onlyLive,
    onlyRebuilt,
    samplesOnlyLive: onlyLive > 0 ? await samples(tx, difference(live, rebuilt)) : [],
    samplesOnlyRebuilt: onlyRebuilt > 0 ? await samples(tx, difference(rebuilt, live)) : [],
  };
}

async function count(tx: SqlClient, table: string): Promise<number> {
  const { rows } = await tx.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]?.n ?? 0);
}

async function samples(tx: SqlClient, rowsQuery: string): Promise<string[]> {
  const { rows } = await tx.query<{ row: string }>(
    `SELECT r::text AS row FROM (${rowsQuery}) d ORDER BY 1 LIMIT ${SAMPLES}`,
  );
  return rows.map((r) => (r.row.length > MAX_SAMPLE_LENGTH ? `${r.row.slice(0, MAX_SAMPLE_LENGTH - 1)}…` : r.row));
}
