import { createSqlClient, type SqlClient } from '@accord/eventstore';
import { createTestDatabase } from '@accord/testing';
import { SqlIdempotencyStore } from './sql-idempotency-store';

// The same contract on both databases the profiles use: PostgreSQL (services) and PGlite (embedded).
describe.each([
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase('accord_idem');
      return { sql: db.sql, close: db.drop };
    },
  ],
  [
    'PGlite',
    async () => {
      const sql = await createSqlClient({});
      return { sql, close: () => sql.close() };
    },
  ],
] as const)('SqlIdempotencyStore on %s', (_name, open) => {
  let sql: SqlClient;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ sql, close } = await open());
  });
  afterAll(() => close());

  it('creates its table on start, also when several replicas start at once', async () => {
    await Promise.all([SqlIdempotencyStore.open(sql), SqlIdempotencyStore.open(sql), SqlIdempotencyStore.open(sql)]);
    const { rows } = await sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'idempotency_keys'",
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('of 20 concurrent claims exactly one wins; the others see it running, then completed', async () => {
    const store = await SqlIdempotencyStore.open(sql);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.claim('race', 'f')));
    const winners = outcomes.filter((outcome) => outcome.kind === 'claimed');
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.kind === 'in_progress')).toHaveLength(19);
    const [winner] = winners;
    if (winner?.kind !== 'claimed') throw new Error('no winner');
    await store.complete('race', winner.lease, {
      status: 201,
      contentType: 'application/json',
      body: '{"id":1}',
      bodySha256: 'h',
    });
    expect(await store.claim('race', 'f')).toEqual({
      kind: 'completed',
      fingerprint: 'f',
      response: { status: 201, contentType: 'application/json', body: '{"id":1}', bodySha256: 'h' },
    });
    expect(await store.claim('race', 'other')).toMatchObject({ kind: 'completed', fingerprint: 'f' });
  });

  it('a released key is free again; a stale attempt is taken over by the same body only; expired rows are swept', async () => {
    const store = await SqlIdempotencyStore.open(sql, { leaseMs: 1 });
    const first = await store.claim('stale', 'f');
    if (first.kind !== 'claimed') throw new Error('not claimed');
    await store.release('stale', first.lease);
    const second = await store.claim('stale', 'f');
    expect(second.kind).toBe('claimed');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await store.claim('stale', 'other')).kind).toBe('in_progress');
    const takeover = await store.claim('stale', 'f');
    expect(takeover.kind).toBe('claimed');
    // The attempt that lost its lease can no longer record anything.
    if (second.kind === 'claimed')
      await store.complete('stale', second.lease, { status: 201, contentType: null, body: 'late', bodySha256: '' });
    expect(
      (await sql.query<{ body: string | null }>("SELECT body FROM idempotency_keys WHERE scope = 'stale'")).rows[0]!
        .body,
    ).toBeNull();

    await sql.query("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE scope = 'stale'");
    await store.sweep();
    expect((await sql.query("SELECT 1 FROM idempotency_keys WHERE scope = 'stale'")).rows).toHaveLength(0);
  });
});
