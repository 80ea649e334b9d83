import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqlClient, type SqlClient } from '@accord/eventstore';
import { createTestDatabase, type TestDatabase } from '@accord/testing';
import { seedStory, type SeededStory } from './seeded-store';

/** A store `accord` works on, seeded with the story of seeded-store.ts. */
export interface StoreUnderTest {
  readonly story: SeededStory;
  /** Arguments and environment that point a command at this store. */
  readonly args: readonly string[];
  readonly env: Record<string, string | undefined>;
  readonly dir: string;
  /** Runs SQL on the store directly (to corrupt a read model on purpose). */
  withSql(use: (sql: SqlClient) => Promise<unknown>): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL: a throwaway database named by DATABASE_URL. */
async function postgres(): Promise<StoreUnderTest> {
  const db: TestDatabase = await createTestDatabase('accord_cli');
  const story = await seedStory(db.sql);
  const dir = mkdtempSync(join(tmpdir(), 'accord-cli-pg-'));
  return {
    story,
    args: [],
    env: { DATABASE_URL: db.url },
    dir,
    async withSql(use) {
      await use(db.sql);
    },
    async close() {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An embedded data folder, as `npm start` leaves it, named by --data-dir. */
async function dataFolder(): Promise<StoreUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-cli-data-'));
  mkdirSync(join(dir, 'data'));
  const sql = await createSqlClient({ dataDir: join(dir, 'data', 'pglite') });
  const story = await seedStory(sql);
  await sql.close();
  return {
    story,
    args: ['--data-dir', join(dir, 'data')],
    env: { DATABASE_URL: undefined },
    dir,
    async withSql(use) {
      const direct = await createSqlClient({ dataDir: join(dir, 'data', 'pglite') });
      try {
        await use(direct);
      } finally {
        await direct.close();
      }
    },
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Both stores, for `describe.each`. */
export const STORES_UNDER_TEST: readonly (readonly [string, () => Promise<StoreUnderTest>])[] = [
  ['PostgreSQL', postgres],
  ['an embedded data folder', dataFolder],
];
