import { conflict } from '@accord/contracts';
import { REBUILD_LOCK_CLASS, type SqlClient } from '@accord/eventstore';

/** The error code of a rebuild refused because another rebuild of the same read model runs. */
export const REBUILD_ALREADY_RUNNING = 'projection.rebuild_running';

/**
 * The right to use one shadow schema, from the rebuild that creates it until the compare, swap or
 * discard that ends with it. Without it a second rebuild of the same read model would drop and
 * recreate the schema under the first (both then report false differences, and a forced swap
 * could put a corrupt read model live).
 */
export interface RebuildLock {
  /** False once released: the shadow is no longer this build's to read or change. */
  readonly held: boolean;
  /** Gives the lock up (once; later calls do nothing). */
  release(): Promise<void>;
}

/**
 * Takes the rebuild lock of `schema` at once, or throws a `conflict` (`REBUILD_ALREADY_RUNNING`)
 * naming `projectionName` when another rebuild holds it — never waits, so an operator learns at
 * once that a rebuild is already running.
 */
export function lockRebuild(sql: SqlClient, schema: string, projectionName: string): Promise<RebuildLock> {
  return sql.kind === 'pg' ? lockOnPostgres(sql, schema, projectionName) : lockInProcess(sql, schema, projectionName);
}

const alreadyRunning = (projectionName: string) =>
  conflict(
    REBUILD_ALREADY_RUNNING,
    `A rebuild of ${projectionName} is already running; wait for it to end (its shadow schema is in use).`,
  );

/**
 * PostgreSQL: a transaction-level advisory lock in a transaction kept open on one pooled
 * connection for the life of the rebuild. That connection is the lock's own (the rebuild's pages
 * and comparison run on others); transaction level, not session level, because the connection
 * goes back to the pool afterwards and must not carry a lock with it: COMMIT (or the connection's
 * death, or the process's) releases it whatever happens. The transaction takes no snapshot while
 * idle (read committed, no writes), so it holds back no vacuum.
 */
async function lockOnPostgres(sql: SqlClient, schema: string, projectionName: string): Promise<RebuildLock> {
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => (letGo = resolve));
  let answer!: (locked: boolean) => void;
  let failed!: (error: unknown) => void;
  const locked = new Promise<boolean>((resolve, reject) => {
    answer = resolve;
    failed = reject;
  });
  const holder = sql.transaction(async (tx) => {
    const { rows } = await tx.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked',
      [REBUILD_LOCK_CLASS, schema],
    );
    const ours = rows[0]?.locked === true;
    answer(ours);
    if (ours) await released;
  });
  // Before the lock is answered an error is the caller's; after, the release reports nothing (the
  // lock is gone with the transaction either way).
  holder.catch(failed);
  if (!(await locked)) {
    await holder;
    throw alreadyRunning(projectionName);
  }
  let held = true;
  return {
    get held() {
      return held;
    },
    async release() {
      if (!held) return;
      held = false;
      letGo();
      await holder.catch(() => undefined);
    },
  };
}

/** Schemas being rebuilt per embedded database (PGlite: one process, one connection). */
const rebuildingInProcess = new WeakMap<SqlClient, Set<string>>();

/**
 * PGlite: the data-folder lock already keeps every other process out, and its one connection
 * cannot hold a transaction open while the rebuild uses it (that would deadlock), so only
 * rebuilds within this process, on this client, are kept apart.
 */
async function lockInProcess(sql: SqlClient, schema: string, projectionName: string): Promise<RebuildLock> {
  let schemas = rebuildingInProcess.get(sql);
  if (!schemas) rebuildingInProcess.set(sql, (schemas = new Set()));
  if (schemas.has(schema)) throw alreadyRunning(projectionName);
  schemas.add(schema);
  const taken = schemas;
  let held = true;
  return {
    get held() {
      return held;
    },
    async release() {
      if (held) taken.delete(schema);
      held = false;
    },
  };
}
