import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@accord/contracts';
import { acceptAnyEvent, createEventStore, type EventStore, type NewEvent, type SqlClient } from '@accord/eventstore';
import type { ConsumerStatus } from '@accord/messaging';
import { createTestDatabase, createTestPglite, holdReadersBack } from '@accord/testing';
import { Logger } from '@nestjs/common';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { ReadModelFailedError } from './read-model-failed';

// These read models read test events (type `Counted`), not Accord events: their runners read every envelope.
const anyEvent = (envelope: EventEnvelope): EventEnvelope => envelope;

// A read model that counts events per stream: any double application shows up as a wrong count.
const counting = (failOn?: string): Projection<EventEnvelope> => ({
  name: 'test.counts',
  types: ['Counted'],
  async setup(sql) {
    await sql.query(`CREATE TABLE IF NOT EXISTS test_counts (stream_id text PRIMARY KEY, n int NOT NULL)`);
  },
  async apply(tx, event) {
    await tx.query(
      `INSERT INTO test_counts (stream_id, n) VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = test_counts.n + 1`,
      [event.streamId],
    );
    if (failOn && (event.data as { tag?: string }).tag === failOn)
      throw new Error('projection failure after its write');
  },
  async reset(tx) {
    await tx.query(`DELETE FROM test_counts`);
  },
});

const counted = (tag = ''): NewEvent => ({
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

// A second read model on the same store: the tags of the events it applied, in order. Its apply
// throws on the event `failOn()` names (the chosen bad event), counting the attempts.
const tagging = (
  name: string,
  failOn: () => string | null,
  attempts: Map<string, number>,
): Projection<EventEnvelope> => ({
  name,
  types: ['Counted'],
  async setup(sql) {
    await sql.query(
      `CREATE TABLE IF NOT EXISTS test_tags (projection text NOT NULL, position bigint NOT NULL, tag text NOT NULL)`,
    );
  },
  async apply(tx, event) {
    attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
    await tx.query(`INSERT INTO test_tags (projection, position, tag) VALUES ($1, $2, $3)`, [
      name,
      event.globalPosition,
      (event.data as { tag: string }).tag,
    ]);
    if (event.id === failOn()) throw new Error(`cannot apply ${event.type}`);
  },
  async reset(tx) {
    await tx.query(`DELETE FROM test_tags WHERE projection = $1`, [name]);
  },
});

const tagsOf = async (sql: SqlClient, name: string, after: number) =>
  (
    await sql.query<{ tag: string }>(
      `SELECT tag FROM test_tags WHERE projection = $1 AND position > $2 ORDER BY position`,
      [name, after],
    )
  ).rows.map((r) => r.tag);

const countOf = async (sql: SqlClient, streamId: string) =>
  Number(
    (await sql.query<{ n: number }>(`SELECT n FROM test_counts WHERE stream_id = $1`, [streamId])).rows[0]?.n ?? 0,
  );

describe.each([
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase('accord_projection');
      return { sql: db.sql, teardown: db.drop };
    },
  ],
  [
    'PGlite',
    async () => {
      const sql = await createTestPglite();
      return { sql, teardown: () => sql.close() };
    },
  ],
])('ProjectionRunner on %s', (_name, open) => {
  let sql: SqlClient;
  let store: EventStore;
  let teardown: () => Promise<void>;
  const runners: ProjectionRunner<EventEnvelope>[] = [];

  beforeAll(async () => {
    ({ sql, teardown } = await open());
    store = await createEventStore(sql, { validateEvent: acceptAnyEvent });
  }, 30_000);
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await sql.query(`DROP TABLE IF EXISTS test_counts`);
    await sql.query(`DROP TABLE IF EXISTS test_tags`);
    await sql.query(`DELETE FROM checkpoints WHERE name LIKE 'projection:test.%'`);
  });
  afterAll(async () => {
    await store.close();
    await teardown();
  });

  const startRunner = async (projection = counting()) => {
    const runner = new ProjectionRunner(store, sql, projection, { read: anyEvent });
    runners.push(runner);
    await runner.start();
    return runner;
  };

  it('applies events and reaches the position of the last one', async () => {
    const stream = `count-${randomUUID()}`;
    const runner = await startRunner();
    const { lastPosition } = await store.append(stream, [counted(), counted(), counted()], 'no_stream');
    expect(await runner.waitFor(lastPosition, 5000)).toBe(true);
    expect(await countOf(sql, stream)).toBe(3);
  });

  it('an event its reader does not know is skipped, and the checkpoint still moves past it', async () => {
    const stream = `count-${randomUUID()}`;
    const runner = new ProjectionRunner(store, sql, counting(), { read: () => null });
    runners.push(runner);
    await runner.start();
    const { lastPosition } = await store.append(stream, [counted(), counted()], 'no_stream');
    expect(await runner.waitFor(lastPosition, 5000)).toBe(true);
    expect(await countOf(sql, stream)).toBe(0);
  });

  it('an event delivered twice changes nothing', async () => {
    const stream = `count-${randomUUID()}`;
    const runner = await startRunner();
    const { lastPosition } = await store.append(stream, [counted()], 'no_stream');
    expect(await runner.waitFor(lastPosition, 5000)).toBe(true);
    const [event] = (await store.readStream(stream)) as [EventEnvelope];
    await runner.handle(event);
    await runner.handle(event);
    expect(await countOf(sql, stream)).toBe(1);
  });

  it('a restarted runner resumes from its checkpoint without re-applying', async () => {
    const stream = `count-${randomUUID()}`;
    const first = await startRunner();
    const { lastPosition } = await store.append(stream, [counted(), counted()], 'no_stream');
    await first.waitFor(lastPosition, 5000);
    await first.stop();
    const { lastPosition: later } = await store.append(stream, [counted()], 1);
    const second = await startRunner();
    expect(await second.waitFor(later, 5000)).toBe(true);
    expect(await countOf(sql, stream)).toBe(3);
  });

  it('rebuild empties the read model and replays from position 0 to the same state', async () => {
    const stream = `count-${randomUUID()}`;
    const runner = await startRunner();
    const { lastPosition } = await store.append(stream, [counted(), counted()], 'no_stream');
    await runner.waitFor(lastPosition, 5000);
    await sql.query(`UPDATE test_counts SET n = 99`); // a corrupted read model
    await runner.rebuild();
    expect(await runner.waitFor(lastPosition, 5000)).toBe(true);
    expect(await countOf(sql, stream)).toBe(2);
  });

  it('the read model and the checkpoint commit together: a failing apply leaves neither moved', async () => {
    const stream = `count-${randomUUID()}`;
    const projection = counting('boom');
    const runner = new ProjectionRunner(store, sql, projection, { read: anyEvent });
    await projection.setup(sql);
    await sql.query(
      `INSERT INTO checkpoints (name, position, updated_at) VALUES ($1, 0, now()) ON CONFLICT (name) DO NOTHING`,
      ['projection:test.counts'],
    );
    await store.append(stream, [counted('boom')], 'no_stream');
    const [event] = (await store.readStream(stream)) as [EventEnvelope];
    await expect(runner.handle(event)).rejects.toThrow('projection failure');
    expect(await countOf(sql, stream)).toBe(0);
    expect(runner.position()).toBe(0);
    const { rows } = await sql.query<{ position: number }>(
      `SELECT position FROM checkpoints WHERE name = 'projection:test.counts'`,
    );
    expect(Number(rows[0]!.position)).toBe(0);
  });

  it('waitFor gives up after its timeout when the position is never reached', async () => {
    const runner = await startRunner();
    expect(await runner.waitFor(Number.MAX_SAFE_INTEGER, 100)).toBe(false);
  });

  describe('one bad event (issue 8, rule 3)', () => {
    it('is retried a bounded number of times, then only that projection stops and is reported; the other goes on; waits fail fast; a restart with the fix resumes from it', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const from = await store.headPosition();
        const stream = `tag-${randomUUID()}`;
        const events = [counted('a'), counted('bad'), counted('c')];
        const bad = events[1]!;
        let badId: string | null = bad.id;
        const attempts = new Map<string, number>();
        const reports: Array<{ name: string; status: ConsumerStatus }> = [];
        const health = { report: (name: string, status: ConsumerStatus) => void reports.push({ name, status }) };

        const failing = new ProjectionRunner(
          store,
          sql,
          tagging('test.fails', () => badId, attempts),
          { maxAttempts: 3, retryDelayMs: 10, health, read: anyEvent },
        );
        const healthy = new ProjectionRunner(
          store,
          sql,
          tagging('test.healthy', () => null, new Map()),
          { health, read: anyEvent },
        );
        runners.push(failing, healthy);
        await failing.start();
        await healthy.start();
        const { lastPosition } = await store.append(stream, events, 'no_stream');
        const [a, storedBad] = (await store.readStream(stream)) as [EventEnvelope, EventEnvelope, EventEnvelope];

        // The other projection on the same store applies every event, the bad one included.
        expect(await healthy.waitFor(lastPosition, 10_000)).toBe(true);
        expect(await tagsOf(sql, 'test.healthy', from)).toEqual(['a', 'bad', 'c']);

        await until(() => failing.status().state === 'failed');
        // Once inside its batch (rolled back), then `maxAttempts` times on its own.
        expect(attempts.get(bad.id)).toBe(1 + 3);
        const failure = {
          state: 'failed',
          eventId: bad.id,
          eventType: 'Counted',
          position: storedBad.globalPosition,
          error: 'cannot apply Counted',
        };
        expect(failing.status()).toMatchObject(failure);
        expect(reports).toContainEqual({ name: 'projection:test.fails', status: expect.objectContaining(failure) });
        expect(reports.filter((r) => r.name === 'projection:test.healthy' && r.status.state === 'failed')).toEqual([]);
        // Logged by id, type and position, without the event's data.
        const logged = error.mock.calls.map((c) => String(c[0])).join('\n');
        expect(logged).toContain(bad.id);
        expect(logged).toContain(`position ${storedBad.globalPosition}`);
        expect(logged).not.toContain('"tag"');

        // Its checkpoint stays before the bad event, nothing after it was applied.
        expect(failing.position()).toBe(a.globalPosition);
        expect(await tagsOf(sql, 'test.fails', from)).toEqual(['a']);
        const { rows } = await sql.query<{ position: string }>(
          `SELECT position FROM checkpoints WHERE name = 'projection:test.fails'`,
        );
        expect(Number(rows[0]!.position)).toBe(a.globalPosition);

        // Nothing waits on it: a wait past the bad event fails at once, naming the read model.
        const started = Date.now();
        const wait = failing.waitFor(lastPosition, 10_000);
        await expect(wait).rejects.toBeInstanceOf(ReadModelFailedError);
        await expect(wait).rejects.toMatchObject({
          kind: 'unavailable',
          code: 'read_model.failed',
          readModel: 'test.fails',
        });
        await expect(failing.catchUp(10_000)).rejects.toBeInstanceOf(ReadModelFailedError);
        expect(Date.now() - started).toBeLessThan(1_000);
        // What it applied before stays answerable.
        expect(await failing.waitFor(a.globalPosition, 10)).toBe(true);

        // Fixed and restarted: it resumes from the bad event and applies it, then the rest.
        await failing.stop();
        badId = null;
        const restarted = new ProjectionRunner(
          store,
          sql,
          tagging('test.fails', () => badId, attempts),
          { health, read: anyEvent },
        );
        runners.push(restarted);
        await restarted.start();
        expect(await restarted.waitFor(lastPosition, 10_000)).toBe(true);
        expect(restarted.status()).toEqual({ state: 'running' });
        expect(reports[reports.length - 1]).toEqual({ name: 'projection:test.fails', status: { state: 'running' } });
        expect(await tagsOf(sql, 'test.fails', from)).toEqual(['a', 'bad', 'c']);
        expect(attempts.get(bad.id)).toBe(1 + 3 + 1);
      } finally {
        warn.mockRestore();
        error.mockRestore();
      }
    }, 30_000);
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ProjectionRunner replicas starting at once on a fresh PostgreSQL database', () => {
  // Several tables with indexes: CREATE … IF NOT EXISTS is not atomic, and two sessions creating
  // the same table at the same moment fail on pg_type's unique index unless set-up is serialized.
  const manyTables = (replica: number): Projection<EventEnvelope> => ({
    name: 'test.replicas',
    types: ['Counted'],
    async setup(sql) {
      for (const table of ['a', 'b', 'c', 'd', 'e', 'f']) {
        await sql.query(`CREATE TABLE IF NOT EXISTS replica_${table} (id text PRIMARY KEY, n int NOT NULL)`);
        await sql.query(`CREATE INDEX IF NOT EXISTS replica_${table}_n ON replica_${table} (n)`);
      }
    },
    async apply() {
      void replica;
    },
    async reset() {},
  });

  it('every replica starts: the read model set-up is serialized', async () => {
    for (let round = 0; round < 3; round++) {
      const database = await createTestDatabase('accord_replicas');
      const runners: ProjectionRunner<EventEnvelope>[] = [];
      try {
        const store = await createEventStore(database.sql, { validateEvent: acceptAnyEvent });
        const starts = Array.from({ length: 8 }, (_, replica) => {
          const runner = new ProjectionRunner(store, database.sql, manyTables(replica), { read: anyEvent });
          runners.push(runner);
          return runner.start();
        });
        await expect(Promise.all(starts)).resolves.toBeDefined();
      } finally {
        await Promise.all(runners.map((runner) => runner.stop()));
        await database.drop();
      }
    }
  });
});

describe('ProjectionRunner.catchUp on PostgreSQL, while a transaction elsewhere holds readers back', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: EventStore;
  let runner: ProjectionRunner<EventEnvelope>;

  beforeAll(async () => {
    database = await createTestDatabase('accord_catch_up');
    store = await createEventStore(database.sql, { validateEvent: acceptAnyEvent });
    runner = new ProjectionRunner(store, database.sql, counting(), { read: anyEvent });
    await runner.start();
  }, 30_000);
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await database.drop();
  });

  it('waits for an event committed before it was asked, not only for what readers can see yet', async () => {
    // A transaction elsewhere on the server, begun before the append and still running after it:
    // the visible head stops below the new event, though the event is committed (global-position.ts).
    const elsewhere = await holdReadersBack(database.sql);
    const stream = `count-${randomUUID()}`;
    const { lastPosition } = await store.append(stream, [counted()], 'no_stream');
    expect(await store.headPosition()).toBeLessThan(lastPosition);

    // "Not found" must not come from lag: the look-up after catchUp sees the committed event.
    const caughtUp = runner.catchUp(5_000);
    const released = new Promise((resolve) => setTimeout(resolve, 300)).then(() => elsewhere.release());
    expect(await caughtUp).toBe(true);
    expect(runner.position()).toBeGreaterThanOrEqual(lastPosition);
    expect(await countOf(database.sql, stream)).toBe(1);
    await released;
  });
});
