import { EVENT_CONTEXT } from '@accord/contracts';
import {
  acceptAnyEvent,
  createEventStore,
  writeCheckpoint,
  type PostgresEventStore,
  type SqlClient,
} from '@accord/eventstore';
import {
  cleanupTestNats,
  connectTestNats,
  createTestDatabase,
  createTestPglite,
  natsTestPrefix,
  testEventsStream,
  type TestDatabase,
} from '@accord/testing';
import { Logger } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { EventRelay, type EventRelayOptions } from './event-relay';
import { newEvent } from './test-fixtures/envelopes';
import { readWholeStream, streamMessageCount } from './test-fixtures/stream-reader';
import { visibleSince, waitFor } from './test-fixtures/wait';

// Relay from the real event store (PostgreSQL, PGlite) into the real JetStream, one stream per test.
// Generous timeouts: appends become visible only when every older transaction on the shared
// PostgreSQL server has ended (see visibleSince), which other suites can delay.
jest.setTimeout(30_000);

describe('EventRelay', () => {
  const prefix = natsTestPrefix();
  let nc: NatsConnection;
  let streamNo = 0;
  const relays: EventRelay[] = [];

  beforeAll(async () => {
    // DEBUG_RELAY=1 shows the relay's own log (lock waits, publish retries) when a test misbehaves.
    if (!process.env['DEBUG_RELAY']) Logger.overrideLogger(false);
    nc = await connectTestNats();
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await cleanupTestNats(nc, prefix);
    await nc.close();
  });

  const nextStream = () => testEventsStream(prefix, `EVENTS${++streamNo}`);

  async function appendMany(store: PostgresEventStore, types: readonly string[]): Promise<void> {
    // Several streams, several appends: global order interleaves them.
    for (const [i, type] of types.entries()) await store.append(`account-${i % 3}`, [newEvent(type, { i })], 'any');
  }

  describe('on PostgreSQL', () => {
    let db: TestDatabase;
    let store: PostgresEventStore;

    beforeAll(async () => {
      db = await createTestDatabase('accord_relay');
      store = await createEventStore(db.sql, { validateEvent: acceptAnyEvent });
    });

    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    /**
     * Each test relays into its own stream from the current head of the shared database: the
     * checkpoint is set as a previous relay would have left it.
     */
    async function freshStream(): Promise<{ streamName: string; subjectRoot: string; from: number }> {
      const stream = nextStream();
      const from = await store.headPosition();
      await writeCheckpoint(db.sql, `relay:${stream.streamName}`, from);
      return { ...stream, from };
    }

    function relay(
      stream: { streamName: string; subjectRoot: string },
      extra: Partial<EventRelayOptions> = {},
    ): EventRelay {
      const { streamName, subjectRoot } = stream;
      const r = new EventRelay({
        store,
        sql: db.sql,
        databaseUrl: db.url,
        nats: nc,
        streamName,
        subjectRoot,
        lockRetryMs: 100,
        ...extra,
      });
      relays.push(r);
      return r;
    }

    it('publishes every event, in global order, as the full envelope on <root>.<context>.<Type> with Nats-Msg-Id', async () => {
      const stream = await freshStream();
      const { from } = stream;
      await appendMany(store, ['AccessShared', 'MemberJoined', 'AccountCreated', 'SomethingNew', 'InvitationAccepted']);
      const stored = await visibleSince((a, l) => store.readAll(a, l), from, 5);
      relay(stream).start();

      const seen = await readWholeStream(nc, stream.streamName, stored.length);
      expect(seen.map((s) => s.envelope)).toEqual(stored);
      for (const { subject, msgId, envelope } of seen) {
        const context = (EVENT_CONTEXT as Record<string, string>)[envelope.type] ?? 'unknown';
        expect(subject).toBe(`${stream.subjectRoot}.${context}.${envelope.type}`);
        expect(msgId).toBe(envelope.id);
      }
    });

    it('resumes from its checkpoint after a stop: every event exactly once, nothing lost', async () => {
      const stream = await freshStream();
      const { from } = stream;
      await appendMany(
        store,
        Array.from({ length: 150 }, () => 'AccessShared'),
      );
      const first = relay(stream, { batchSize: 10 });
      first.start();
      await waitFor('part of the events', () => first.status().published >= 30);
      await first.stop();
      expect(first.status().published).toBeLessThan(150);

      await appendMany(
        store,
        Array.from({ length: 20 }, () => 'MemberJoined'),
      );
      const second = relay(stream, { batchSize: 10 });
      second.start();
      const stored = await visibleSince((a, l) => store.readAll(a, l), from, 170);
      const seen = await readWholeStream(nc, stream.streamName, stored.length);

      expect(seen.map((s) => s.envelope.id)).toEqual(stored.map((e) => e.id));
      // Not even a duplicate that JetStream would have dropped: the checkpoint was exact.
      expect(first.status().published + second.status().published).toBe(stored.length);
      expect(first.status().duplicates + second.status().duplicates).toBe(0);
    });

    it('re-publishes after a lost checkpoint (crash before checkpointing) and JetStream drops the duplicates', async () => {
      const stream = await freshStream();
      const { from } = stream;
      await appendMany(store, ['AccessShared', 'MemberJoined', 'AccountCreated']);
      const first = relay(stream);
      first.start();
      await waitFor('all three', () => first.status().published === 3);
      await first.stop();

      await writeCheckpoint(db.sql, `relay:${stream.streamName}`, from);
      const second = relay(stream);
      second.start();
      await waitFor('the re-publish', () => second.status().duplicates === 3);
      expect(second.status().published).toBe(0);
      expect(await streamMessageCount(nc, stream.streamName)).toBe(3);
    });

    it('lets only one of two relays publish, and the standby takes over when it stops', async () => {
      const stream = await freshStream();
      const { from } = stream;
      // A 100 ms dedup window: a second publisher could not hide behind dedup, its copies would land
      // in the stream (checked at the end) besides showing in its own counters.
      const a = relay(stream, { duplicateWindowMs: 100 });
      const b = relay(stream, { duplicateWindowMs: 100 });
      a.start();
      b.start();
      await appendMany(
        store,
        Array.from({ length: 30 }, () => 'InvitationAccepted'),
      );
      await waitFor(
        'thirty in the stream',
        async () => (await streamMessageCount(nc, stream.streamName).catch(() => 0)) >= 30,
      );

      const [active, standby] = a.status().active ? [a, b] : [b, a];
      expect(active.status()).toMatchObject({ active: true, published: 30 });
      expect(standby.status()).toMatchObject({ active: false, published: 0, duplicates: 0 });

      await active.stop();
      await appendMany(
        store,
        Array.from({ length: 5 }, () => 'InvitationAccepted'),
      );
      await waitFor('the standby to take over', () => standby.status().published === 5);
      const seen = await readWholeStream(nc, stream.streamName, 35);
      expect(seen.map((s) => s.envelope.id)).toEqual(
        (await visibleSince((a, l) => store.readAll(a, l), from, 35)).map((e) => e.id),
      );
    });

    it('recovers when its lock connection is killed: re-acquires and goes on without loss', async () => {
      const stream = await freshStream();
      const r = relay(stream);
      r.start();
      await appendMany(
        store,
        Array.from({ length: 5 }, () => 'AccessShared'),
      );
      await waitFor('the first five', () => r.status().published === 5);

      // What a PostgreSQL restart or a network cut does to the session that holds the lock.
      await db.sql.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'accord-relay-lock' AND datname = current_database()`,
      );
      await appendMany(
        store,
        Array.from({ length: 5 }, () => 'MemberJoined'),
      );
      await waitFor('the next five', () => r.status().published === 10);

      const seen = await readWholeStream(nc, stream.streamName, 10);
      expect(seen.map((s) => s.envelope.id)).toEqual(
        (await visibleSince((a, l) => store.readAll(a, l), stream.from, 10)).map((e) => e.id),
      );
      expect(r.status().active).toBe(true);
    });

    it('refuses to run on PostgreSQL without a URL for its lock connection', () => {
      expect(() => new EventRelay({ store, sql: db.sql, nats: nc })).toThrow(/databaseUrl/);
    });
  });

  describe('on PGlite (embedded: no advisory lock)', () => {
    let sql: SqlClient;
    let store: PostgresEventStore;

    beforeAll(async () => {
      sql = await createTestPglite();
      store = await createEventStore(sql, { validateEvent: acceptAnyEvent });
    });

    afterAll(async () => {
      await store?.close();
      await sql?.close();
    });

    it('relays, with one active relay per stream in the process', async () => {
      const stream = nextStream();
      const a = new EventRelay({ store, sql, nats: nc, ...stream, lockRetryMs: 100 });
      const b = new EventRelay({ store, sql, nats: nc, ...stream, lockRetryMs: 100 });
      relays.push(a, b);
      a.start();
      b.start();
      await appendMany(store, ['AccessShared', 'MemberJoined', 'AccountCreated', 'InvitationAccepted']);

      const stored = await visibleSince((a, l) => store.readAll(a, l), 0, 4);
      const seen = await readWholeStream(nc, stream.streamName, stored.length);
      expect(seen.map((s) => s.envelope)).toEqual(stored);
      expect(a.status().published + b.status().published).toBe(stored.length);
      expect([a.status().active, b.status().active].filter(Boolean)).toHaveLength(1);
    });
  });
});
