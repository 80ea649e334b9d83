import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@accord/contracts';
import { createEventStore, type EventStore, type NewEvent, type SqlClient } from '@accord/eventstore';
import { createTestDatabase, createTestPglite } from '@accord/testing';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

// A read model that counts events per stream: any double application shows up as a wrong count.
const counting = (failOn?: string): Projection => ({
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
    if (failOn && (event.data as { tag?: string }).tag === failOn) throw new Error('projection failure after its write');
  },
  async reset(tx) {
    await tx.query(`DELETE FROM test_counts`);
  },
});

const counted = (tag = ''): NewEvent => ({
  id: randomUUID(),
  type: 'Counted',
  data: { tag },
  metadata: { accountId: null, actor: { userId: 'u1', via: 'session' }, correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString() },
});

const countOf = async (sql: SqlClient, streamId: string) =>
  Number((await sql.query<{ n: number }>(`SELECT n FROM test_counts WHERE stream_id = $1`, [streamId])).rows[0]?.n ?? 0);

describe.each([
  ['PostgreSQL', async () => { const db = await createTestDatabase('accord_projection'); return { sql: db.sql, teardown: db.drop }; }],
  ['PGlite', async () => { const sql = await createTestPglite(); return { sql, teardown: () => sql.close() }; }],
])('ProjectionRunner on %s', (_name, open) => {
  let sql: SqlClient;
  let store: EventStore;
  let teardown: () => Promise<void>;
  const runners: ProjectionRunner[] = [];

  beforeAll(async () => {
    ({ sql, teardown } = await open());
    store = await createEventStore(sql);
  }, 30_000);
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await sql.query(`DROP TABLE IF EXISTS test_counts`);
    await sql.query(`DELETE FROM checkpoints WHERE name LIKE 'projection:test.%'`);
  });
  afterAll(async () => {
    await store.close();
    await teardown();
  });

  const startRunner = async (projection = counting()) => {
    const runner = new ProjectionRunner(store, sql, projection);
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
    const runner = new ProjectionRunner(store, sql, projection);
    await projection.setup(sql);
    await sql.query(`INSERT INTO checkpoints (name, position, updated_at) VALUES ($1, 0, now()) ON CONFLICT (name) DO NOTHING`, ['projection:test.counts']);
    await store.append(stream, [counted('boom')], 'no_stream');
    const [event] = (await store.readStream(stream)) as [EventEnvelope];
    await expect(runner.handle(event)).rejects.toThrow('projection failure');
    expect(await countOf(sql, stream)).toBe(0);
    expect(runner.position()).toBe(0);
    const { rows } = await sql.query<{ position: number }>(`SELECT position FROM checkpoints WHERE name = 'projection:test.counts'`);
    expect(Number(rows[0]!.position)).toBe(0);
  });

  it('waitFor gives up after its timeout when the position is never reached', async () => {
    const runner = await startRunner();
    expect(await runner.waitFor(Number.MAX_SAFE_INTEGER, 100)).toBe(false);
  });
});
