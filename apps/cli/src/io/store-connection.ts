import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  createEventStore,
  createSqlClient,
  validateAccordEvent,
  type EventStore,
  type SqlClient,
} from '@accord/eventstore';
import { DataDirLockedError, lockDataDir, type DataDirLock } from '@accord/service-kit';
import { UsageError } from '../cli-errors';

/** Where the store is: `--data-dir` wins, then DATABASE_URL, then `./data` (the folder `npm start` uses). */
export interface StoreOptions {
  readonly dataDir?: string;
}

export interface StoreConnection {
  readonly store: EventStore;
  readonly sql: SqlClient;
  /** For messages: `PostgreSQL <db>` or `data folder <path>`. */
  readonly describe: string;
  close(): Promise<void>;
}

/** The data folder a command works on, or null when it works on DATABASE_URL's PostgreSQL. */
export function dataDirOf(options: StoreOptions, env: NodeJS.ProcessEnv = process.env): string | null {
  if (options.dataDir === undefined && env['DATABASE_URL']) return null;
  return resolve(options.dataDir ?? './data');
}

/** Opens the event store a command works on; a store it cannot reach is a usage error (exit 2). */
export async function openStore(options: StoreOptions, env: NodeJS.ProcessEnv = process.env): Promise<StoreConnection> {
  const dataDir = dataDirOf(options, env);
  return dataDir === null ? openServer(env['DATABASE_URL']!) : openDataDir(dataDir);
}

async function openServer(databaseUrl: string): Promise<StoreConnection> {
  let where: string;
  try {
    where = `PostgreSQL ${new URL(databaseUrl).pathname.slice(1) || '(default database)'}`;
  } catch {
    throw new UsageError('DATABASE_URL is not a URL (postgres://user@host:port/database).');
  }
  const sql = await createSqlClient({ databaseUrl, poolSize: 4 });
  try {
    await sql.query('SELECT 1');
    const store = await createEventStore(sql, { validateEvent: validateAccordEvent });
    return { store, sql, describe: where, close: closing(store, sql) };
  } catch (error) {
    await sql.close().catch(() => undefined);
    // The URL may hold a password: name the database only.
    throw new UsageError(`Cannot reach ${where}: ${(error as Error).message}`);
  }
}

async function openDataDir(dataDir: string): Promise<StoreConnection> {
  const pgliteDir = join(dataDir, 'pglite');
  if (!existsSync(pgliteDir))
    throw new UsageError(
      `No Accord data in ${dataDir} (start Accord once with npm start, or name the folder with --data-dir, or set DATABASE_URL).`,
    );
  let lock: DataDirLock;
  try {
    lock = lockDataDir(dataDir, 'cli');
  } catch (error) {
    if (error instanceof DataDirLockedError) throw new UsageError(error.message);
    throw error;
  }
  try {
    const sql = await createSqlClient({ dataDir: pgliteDir });
    const store = await createEventStore(sql, { validateEvent: validateAccordEvent });
    const close = closing(store, sql);
    return {
      store,
      sql,
      describe: `data folder ${dataDir}`,
      async close() {
        await close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw new UsageError(`Cannot open the data folder ${dataDir}: ${(error as Error).message}`);
  }
}

function closing(store: EventStore, sql: SqlClient): () => Promise<void> {
  return async () => {
    await store.close();
    await sql.close();
  };
}
