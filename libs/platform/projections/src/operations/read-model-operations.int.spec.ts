import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@accord/contracts';
import {
  acceptAnyEvent,
  createEventStore,
  createSqlClient,
  type EventStore,
  type NewEvent,
  type SqlClient,
} from '@accord/eventstore';
import { StoreEventConsumer, type ConsumerHandle } from '@accord/messaging';
import { createTestDatabase, createTestPglite } from '@accord/testing';
import { Logger } from '@nestjs/common';
import type { Projection } from '../projection';
import { ProjectionRunner } from '../projection-runner';
import { compareWithLive } from './compare';
import { persistingStatus } from './consumer-failures';
import { readModelStatus } from './consumer-status';
import { rebuildReadModel } from './rebuild';
import { REBUILD_ALREADY_RUNNING } from './rebuild-lock';
import { shadowSchemaName } from './shadow-schema';
import { discardShadow, swapReadModel, verifyReadModel } from './swap';

// Test events (type `Counted`), not Accord events: every reader here takes the envelope as it is.
const anyEvent = (envelope: EventEnvelope): EventEnvelope => envelope;
const NOTES = 'test_ops_notes';

/**
 * Two read-model tables (one with an index) and a table of notes kept beside them that events do
 * not derive.
 */
const ledger = (): Projection<EventEnvelope> => ({
  name: 'test.ledger',
  types: ['Counted'],
  async setup(sql) {
    await sql.query(`CREATE TABLE IF NOT EXISTS test_ops_counts (stream_id text PRIMARY KEY, n int NOT NULL)`);
    await sql.query(`CREATE TABLE IF NOT EXISTS test_ops_tags (position bigint PRIMARY KEY, tag text NOT NULL)`);
    await sql.query(`CREATE INDEX IF NOT EXISTS test_ops_tags_tag ON test_ops_tags (tag)`);
    await sql.query(`CREATE TABLE IF NOT EXISTS ${NOTES} (note text NOT NULL)`);
  },
  async apply(tx, event) {
    await tx.query(
      `INSERT INTO test_ops_counts (stream_id, n) VALUES ($1, 1)
       ON CONFLICT (stream_id) DO UPDATE SET n = test_ops_counts.n + 1`,
      [event.streamId],
    );
    await tx.query(`INSERT INTO test_ops_tags (position, tag) VALUES ($1, $2)`, [
      event.globalPosition,
      (event.data as { tag: string }).tag,
    ]);
  },
  async reset(tx) {
    await tx.query(`DELETE FROM test_ops_counts`);
    await tx.query(`DELETE FROM test_ops_tags`);
  },
});

/** A read model of no tables that cannot apply the event `failOn()` names. */
const failingOn = (failOn: () => string | null): Projection<EventEnvelope> => ({
  name: 'test.failing',
  types: ['Counted'],
  async setup() {},
  async apply(_tx, event) {
    if (event.id === failOn()) throw new Error(`cannot apply ${event.type} ${'x'.repeat(1_000)}`);
  },
  async reset() {},
});

const counted = (tag: string): NewEvent => ({
  id: randomUUID(),
  type: 'Counted',
  data: { tag },
  metadata: {
    accountId: null,
    actor: { userId: 'u1', via: 'session' },
    correlationId: randomUUID(),
    causationId: null,
    occurredAt: new Date().toISOString(),
  },
});

const rebuildOptions = { read: anyEvent, notProjected: [NOTES] };

describe.each([
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase('accord_read_model_ops');
      // Another `accord` process: its own pool, so only PostgreSQL can keep it out.
      const elsewhere = async () => {
        const other = await createSqlClient({ databaseUrl: db.url, poolSize: 2 });
        return { sql: other, close: () => other.close() };
      };
      return { sql: db.sql, teardown: db.drop, elsewhere };
    },
  ],
  [
    'PGlite',
    async () => {
      const sql = await createTestPglite();
      // The data-folder lock keeps other processes out of an embedded store: only this one's client.
      const elsewhere = async () => ({ sql, close: async () => undefined });
      return { sql, teardown: () => sql.close(), elsewhere };
    },
  ],
])('read-model operations on %s', (_name, open) => {
  let sql: SqlClient;
  let store: EventStore;
  let teardown: () => Promise<void>;
  let elsewhere: () => Promise<{ sql: SqlClient; close(): Promise<void> }>;
  const runners: ProjectionRunner<EventEnvelope>[] = [];
  const handles: ConsumerHandle[] = [];

  beforeAll(async () => {
    ({ sql, teardown, elsewhere } = await open());
    store = await createEventStore(sql, { validateEvent: acceptAnyEvent });
  }, 30_000);
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    for (const handle of handles.splice(0)) await handle.close();
    for (const table of ['test_ops_counts', 'test_ops_tags', NOTES]) await sql.query(`DROP TABLE IF EXISTS ${table}`);
    await sql.query(`DELETE FROM checkpoints`);
    await sql.query(`DROP TABLE IF EXISTS consumer_failures`);
  });
  afterAll(async () => {
    await store.close();
    await teardown();
  });

  const startRunner = async (projection = ledger()) => {
    const runner = new ProjectionRunner(store, sql, projection, { read: anyEvent, maxAttempts: 2, retryDelayMs: 10 });
    runners.push(runner);
    await runner.start();
    return runner;
  };
  /** A running read model with a few events applied. */
  const withTraffic = async () => {
    const runner = await startRunner();
    await store.append(`s-${randomUUID()}`, [counted('a'), counted('b')], 'no_stream');
    const { lastPosition } = await store.append(`s-${randomUUID()}`, [counted('c')], 'no_stream');
    expect(await runner.waitFor(lastPosition, 10_000)).toBe(true);
    return runner;
  };
  const schemaExists = async (schema: string) =>
    (await sql.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`, [schema])).rows.length > 0;
  const storedEvents = async () =>
    Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM events`)).rows[0]!.n);

  describe('status', () => {
    it('shows a running projection, a failed one with its failure, a failed reactor and a never started one with what they lag', async () => {
      const quiet = [
        jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
        jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined),
      ];
      try {
        let badId: string | null = null;
        const healthy = await startRunner();
        const failing = await startRunner(failingOn(() => badId));
        const consumer = new StoreEventConsumer({ store, sql, retryDelayMs: 10 });
        handles.push(
          await consumer.consume({
            name: 'test-reactor',
            types: ['Counted'],
            handler: async (event) => {
              if (event.id === badId) throw new Error('reactor cannot handle it');
            },
            health: persistingStatus(sql, 'consumer:test-reactor'),
            maxAttempts: 2,
          }),
        );
        const events = [counted('a'), counted('bad'), counted('c')];
        badId = events[1]!.id;
        const stream = `s-${randomUUID()}`;
        const { lastPosition } = await store.append(stream, events, 'no_stream');
        const [a, bad] = await store.readStream(stream);
        expect(await healthy.waitFor(lastPosition, 10_000)).toBe(true);
        await until(() => failing.status().state === 'failed');
        // Both failures are recorded after they are reported in memory (the runner and the reactor
        // write them once they have given up): wait until the table shows both.
        await untilAsync(async () => {
          const recorded = await readModelStatus(sql, store, []);
          return ['projection:test.failing', 'consumer:test-reactor'].every((name) =>
            recorded.some((r) => r.name === name && r.state === 'failed'),
          );
        });

        const rows = await readModelStatus(sql, store, ['projection:test.never', 'projection:test.ledger']);
        const byName = new Map(rows.map((r) => [r.name, r]));
        expect(rows.map((r) => r.name)).toEqual([...rows.map((r) => r.name)].sort());
        expect(byName.get('projection:test.ledger')).toEqual({
          name: 'projection:test.ledger',
          kind: 'projection',
          checkpoint: lastPosition,
          head: lastPosition,
          eventsBehind: 0,
          eventsBehindCapped: false,
          state: 'running',
        });
        const failed = byName.get('projection:test.failing')!;
        expect(failed).toMatchObject({
          kind: 'projection',
          checkpoint: a!.globalPosition,
          head: lastPosition,
          eventsBehind: 2,
          state: 'failed',
          failure: { eventId: bad!.id, eventType: 'Counted', position: bad!.globalPosition },
        });
        // The message only, cut short.
        expect(failed.failure!.error).toMatch(/^cannot apply Counted x+…$/);
        expect(failed.failure!.error.length).toBeLessThanOrEqual(500);
        expect(byName.get('consumer:test-reactor')).toMatchObject({
          kind: 'reactor',
          state: 'failed',
          failure: { eventId: bad!.id, error: 'reactor cannot handle it' },
        });
        expect(byName.get('projection:test.never')).toMatchObject({
          kind: 'projection',
          checkpoint: null,
          eventsBehind: await storedEvents(),
          state: 'never started',
        });

        // Fixed and started again: running, the failure forgotten, caught up.
        await failing.stop();
        badId = null;
        const restarted = await startRunner(failingOn(() => badId));
        expect(await restarted.waitFor(lastPosition, 10_000)).toBe(true);
        const after = (await readModelStatus(sql, store, [])).find((r) => r.name === 'projection:test.failing');
        expect(after).toMatchObject({ state: 'running', checkpoint: lastPosition, eventsBehind: 0 });
        expect(after).not.toHaveProperty('failure');
      } finally {
        for (const spy of quiet) spy.mockRestore();
      }
    });
  });

  describe('rebuild --verify', () => {
    it('passes on an untouched read model, comparing the projected tables only, and drops the shadow', async () => {
      const runner = await withTraffic();
      await sql.query(`INSERT INTO ${NOTES} (note) VALUES ('kept beside the read model')`);
      const progress: Array<[number, number]> = [];
      const comparison = await verifyReadModel(sql, store, ledger(), {
        ...rebuildOptions,
        onProgress: (done, total) => progress.push([done, total]),
      });
      expect(comparison).toMatchObject({ projection: 'test.ledger', position: runner.position(), equal: true });
      expect(comparison.tables.map((t) => t.table)).toEqual(['test_ops_counts', 'test_ops_tags']);
      expect(progress.at(-1)).toEqual([await storedEvents(), await storedEvents()]);
      expect(await schemaExists(shadowSchemaName('test.ledger'))).toBe(false);
    });

    it.each([
      [
        'an updated row',
        `UPDATE test_ops_counts SET n = n + 10 WHERE stream_id IN (SELECT min(stream_id) FROM test_ops_counts)`,
        'test_ops_counts',
        1,
        1,
      ],
      [
        'a deleted row',
        `DELETE FROM test_ops_tags WHERE position = (SELECT max(position) FROM test_ops_tags)`,
        'test_ops_tags',
        0,
        1,
      ],
      ['an inserted row', `INSERT INTO test_ops_tags (position, tag) VALUES (1, 'forged')`, 'test_ops_tags', 1, 0],
    ])('finds %s and names its table, changing nothing', async (_what, corruption, table, onlyLive, onlyRebuilt) => {
      await withTraffic();
      await sql.query(corruption);
      const live = await dumpTables(sql);
      const comparison = await verifyReadModel(sql, store, ledger(), rebuildOptions);
      expect(comparison.equal).toBe(false);
      const differing = comparison.tables.filter((t) => t.onlyLive > 0 || t.onlyRebuilt > 0);
      expect(differing).toEqual([expect.objectContaining({ table, onlyLive, onlyRebuilt })]);
      expect(differing[0]!.samplesOnlyLive).toHaveLength(onlyLive);
      expect(differing[0]!.samplesOnlyRebuilt).toHaveLength(onlyRebuilt);
      expect(await dumpTables(sql)).toEqual(live);
      expect(await schemaExists(shadowSchemaName('test.ledger'))).toBe(false);
    });

    it('catches the shadow up to where the running read model got meanwhile', async () => {
      const runner = await withTraffic();
      const build = await rebuildReadModel(sql, store, ledger(), rebuildOptions);
      const built = build.position;
      const { lastPosition } = await store.append(`s-${randomUUID()}`, [counted('later')], 'no_stream');
      expect(await runner.waitFor(lastPosition, 10_000)).toBe(true);
      const comparison = await compareWithLive(sql, build);
      expect(built).toBeLessThan(lastPosition);
      expect(comparison).toMatchObject({ position: lastPosition, equal: true });
      expect(build.position).toBe(lastPosition);
      expect((await swapReadModel(sql, build)).swapped).toBe(true);
    });
  });

  describe('one rebuild of a read model at a time', () => {
    const refusal = {
      kind: 'conflict',
      code: REBUILD_ALREADY_RUNNING,
      message: expect.stringContaining('test.ledger'),
    };

    it('refuses a second rebuild while the first is feeding or holds its shadow; the first completes equal; afterwards a new rebuild works', async () => {
      await withTraffic();
      const other = await elsewhere();
      try {
        // The second starts while the first is applying its pages into the shadow.
        let second: Promise<unknown> | null = null;
        const first = await rebuildReadModel(sql, store, ledger(), {
          ...rebuildOptions,
          onProgress: () => {
            second ??= rebuildReadModel(other.sql, store, ledger(), rebuildOptions).then(
              () => 'rebuilt as well',
              (error: unknown) => error,
            );
          },
        });
        expect(second).not.toBeNull();
        expect(await second).toMatchObject(refusal);
        // Between rebuild and compare the shadow is still the first's: a verify is refused too.
        await expect(verifyReadModel(other.sql, store, ledger(), rebuildOptions)).rejects.toMatchObject(refusal);

        expect(await compareWithLive(sql, first)).toMatchObject({ equal: true });
        expect(await schemaExists(shadowSchemaName('test.ledger'))).toBe(true);
        await discardShadow(sql, first);
        expect(await schemaExists(shadowSchemaName('test.ledger'))).toBe(false);
        // Over: it can no longer read the shadow another rebuild may now own.
        await expect(compareWithLive(sql, first)).rejects.toThrow(/is over/);

        expect((await verifyReadModel(other.sql, store, ledger(), rebuildOptions)).equal).toBe(true);
        const outcome = await swapReadModel(sql, await rebuildReadModel(sql, store, ledger(), rebuildOptions));
        expect(outcome).toMatchObject({ swapped: true, comparison: { equal: true } });
      } finally {
        await other.close();
      }
    });

    it('lets the next rebuild start after one that failed', async () => {
      await withTraffic();
      const broken: Projection<EventEnvelope> = {
        ...ledger(),
        async apply() {
          throw new Error('cannot apply');
        },
      };
      await expect(rebuildReadModel(sql, store, broken, rebuildOptions)).rejects.toThrow('cannot apply');
      expect(await schemaExists(shadowSchemaName('test.ledger'))).toBe(false);
      expect((await verifyReadModel(sql, store, ledger(), rebuildOptions)).equal).toBe(true);
    });
  });

  describe('rebuild and swap', () => {
    it('refuses a different rebuild without force; with force replaces the corrupted table, and the runner goes on from its checkpoint', async () => {
      const first = await withTraffic();
      const checkpoint = first.position();
      await first.stop();
      await sql.query(`INSERT INTO ${NOTES} (note) VALUES ('kept')`);
      await sql.query(`UPDATE test_ops_counts SET n = 99`);
      const corrupted = await dumpTables(sql);

      const refused = await swapReadModel(sql, await rebuildReadModel(sql, store, ledger(), rebuildOptions));
      expect(refused.swapped).toBe(false);
      expect(refused.comparison.tables.find((t) => t.table === 'test_ops_counts')!.onlyLive).toBeGreaterThan(0);
      expect(await dumpTables(sql)).toEqual(corrupted);
      expect(await schemaExists(shadowSchemaName('test.ledger'))).toBe(false);

      const forced = await swapReadModel(sql, await rebuildReadModel(sql, store, ledger(), rebuildOptions), {
        force: true,
      });
      expect(forced).toMatchObject({ swapped: true, comparison: { equal: false, position: checkpoint } });
      expect(await schemaExists(shadowSchemaName('test.ledger'))).toBe(false);
      expect((await verifyReadModel(sql, store, ledger(), rebuildOptions)).equal).toBe(true);
      // The index came along; the notes beside the read model were left alone; the checkpoint too.
      const { rows: indexes } = await sql.query(
        `SELECT 1 FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'test_ops_tags_tag'`,
      );
      expect(indexes).toHaveLength(1);
      expect((await sql.query(`SELECT note FROM ${NOTES}`)).rows).toEqual([{ note: 'kept' }]);
      const { rows } = await sql.query<{ position: string }>(
        `SELECT position FROM checkpoints WHERE name = 'projection:test.ledger'`,
      );
      expect(Number(rows[0]!.position)).toBe(checkpoint);

      const stream = `s-${randomUUID()}`;
      const second = await startRunner();
      expect(second.position()).toBe(checkpoint);
      const { lastPosition } = await store.append(stream, [counted('d'), counted('e')], 'no_stream');
      expect(await second.waitFor(lastPosition, 10_000)).toBe(true);
      const { rows: counts } = await sql.query<{ n: number }>(`SELECT n FROM test_ops_counts WHERE stream_id = $1`, [
        stream,
      ]);
      expect(counts).toEqual([{ n: 2 }]);
      expect((await verifyReadModel(sql, store, ledger(), rebuildOptions)).equal).toBe(true);
    });

    it('swaps an equal rebuild without force', async () => {
      await withTraffic();
      const live = await dumpTables(sql);
      const outcome = await swapReadModel(sql, await rebuildReadModel(sql, store, ledger(), rebuildOptions));
      expect(outcome).toMatchObject({ swapped: true, comparison: { equal: true } });
      expect(await dumpTables(sql)).toEqual(live);
    });
  });
});

/** The live read-model tables as sorted JSON rows. */
async function dumpTables(sql: SqlClient): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of ['test_ops_counts', 'test_ops_tags']) {
    const { rows } = await sql.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM ${table} t ORDER BY 1`);
    out[table] = rows.map((r) => r.row);
  }
  return out;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  await untilAsync(async () => condition(), timeoutMs);
}

async function untilAsync(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
