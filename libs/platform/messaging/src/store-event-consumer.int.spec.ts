import type { EventEnvelope } from '@accord/contracts';
import {
  acceptAnyEvent,
  createEventStore,
  readCheckpoint,
  type PostgresEventStore,
  type SqlClient,
} from '@accord/eventstore';
import { createTestDatabase, createTestPglite } from '@accord/testing';
import { Logger } from '@nestjs/common';
import type { ConsumerHandle, ConsumerStatus } from './event-consumer';
import { StoreEventConsumer } from './store-event-consumer';
import { newEvent } from './test-fixtures/envelopes';
import { pause, visibleSince, waitFor } from './test-fixtures/wait';

interface Engine {
  readonly sql: SqlClient;
  dispose(): Promise<void>;
}

// The embedded profile's consumer on both engines of the store (PGlite is the one it runs on).
// Generous timeout: on the shared PostgreSQL server, other suites' transactions can delay when an
// append becomes visible to readers (see visibleSince).
jest.setTimeout(30_000);

describe.each([
  [
    'PGlite',
    async (): Promise<Engine> => {
      const sql = await createTestPglite();
      return { sql, dispose: () => sql.close() };
    },
  ],
  [
    'PostgreSQL',
    async (): Promise<Engine> => {
      const db = await createTestDatabase('accord_consumer');
      return { sql: db.sql, dispose: () => db.drop() };
    },
  ],
])('StoreEventConsumer on %s', (_name, open) => {
  let engine: Engine;
  let store: PostgresEventStore;
  let consumer: StoreEventConsumer;
  const handles: ConsumerHandle[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    engine = await open();
    store = await createEventStore(engine.sql, { validateEvent: acceptAnyEvent });
    consumer = new StoreEventConsumer({ store, sql: engine.sql, retryDelayMs: 20 });
  });

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
  });

  afterAll(async () => {
    await store?.close();
    await engine?.dispose();
  });

  async function consume(
    name: string,
    types: string[],
    handler: (e: EventEnvelope) => Promise<void>,
  ): Promise<ConsumerHandle> {
    const handle = await consumer.consume({ name, types, handler });
    handles.push(handle);
    return handle;
  }

  it('delivers the wanted types in order and resumes from its checkpoint after close/reopen', async () => {
    const seen: string[] = [];
    const handler = async (e: EventEnvelope) => {
      seen.push(e.id);
    };
    const before = [newEvent('AccessShared'), newEvent('AccountCreated'), newEvent('AccessShared')];
    await store.append('access-1', before, 'any');
    const handle = await consume('resumer', ['AccessShared'], handler);
    await waitFor('the first two', () => seen.length === 2);
    await handle.close();
    handles.splice(handles.indexOf(handle), 1);
    expect(await readCheckpoint(engine.sql, 'consumer:resumer')).toBe(await store.headPosition());

    const after = [newEvent('AccessShared'), newEvent('MemberJoined')];
    await store.append('access-2', after, 'any');
    await consume('resumer', ['AccessShared'], handler);
    await waitFor('the third', () => seen.length >= 3);
    await pause(150);
    expect(seen).toEqual([before[0]!.id, before[2]!.id, after[0]!.id]);
  });

  // Bounded since issue 8 rule 3 (default 8 attempts): two failures are well within the bound.
  it('retries a throwing handler on the same event, never skipping it', async () => {
    const calls: string[] = [];
    const events = [newEvent('InvitationAccepted'), newEvent('InvitationAccepted')];
    await store.append('access-3', events, 'any');
    await consume('retrier', ['InvitationAccepted'], async (e) => {
      calls.push(e.id);
      if (calls.length <= 2) throw new Error('dependency down');
    });
    await waitFor('both events handled', () => calls.includes(events[1]!.id));
    expect(calls).toEqual([events[0]!.id, events[0]!.id, events[0]!.id, events[1]!.id]);
  });

  it('checkpoints skipped events on close, so a reopen does not scan them again', async () => {
    const from = await store.headPosition();
    await store.append('account-9', [newEvent('AccountCreated'), newEvent('AccountCreated')], 'any');
    const appended = await visibleSince((a, l) => store.readAll(a, l), from, 2);
    const head = appended[appended.length - 1]!.globalPosition;
    const handle = await consume('skipper', ['NoSuchType'], async () => undefined);
    // Skips are not observable until close: give the subscription (50 ms polls) time to pass them.
    await pause(300);
    await handle.close();
    handles.splice(handles.indexOf(handle), 1);
    expect(await readCheckpoint(engine.sql, 'consumer:skipper')).toBe(head);
  });

  it('records skipped events once the log is quiet: a consumer of rare types shows how far it has read', async () => {
    const quiet = new StoreEventConsumer({ store, sql: engine.sql, retryDelayMs: 20, idleCheckpointMs: 100 });
    const from = await store.headPosition();
    await store.append('account-10', [newEvent('AccountCreated'), newEvent('AccountCreated')], 'any');
    const appended = await visibleSince((a, l) => store.readAll(a, l), from, 2);
    const head = appended[appended.length - 1]!.globalPosition;
    handles.push(await quiet.consume({ name: 'rare', types: ['NoSuchType'], handler: async () => undefined }));
    await waitFor('the quiet checkpoint', async () => (await readCheckpoint(engine.sql, 'consumer:rare')) === head);
  });

  it('a quiet-time save of skips never lands after the save of a later event', async () => {
    // The first checkpoint write of this consumer (the quiet-time save of a skip) is held up, so
    // the event that comes meanwhile is handled and saved while that write is still on its way.
    let held: 'not yet' | 'holding' | 'done' = 'not yet';
    const query = (async (text: string, params?: readonly unknown[]) => {
      if (held === 'not yet' && text.includes('INSERT INTO checkpoints') && params?.[0] === 'consumer:interleaved') {
        held = 'holding';
        await pause(300);
        held = 'done';
      }
      return engine.sql.query(text, params);
    }) as SqlClient['query'];
    const slowFirstWrite: SqlClient = {
      kind: engine.sql.kind,
      query,
      transaction: (work) => engine.sql.transaction(work),
      close: async () => undefined,
    };
    const quiet = new StoreEventConsumer({ store, sql: slowFirstWrite, retryDelayMs: 20, idleCheckpointMs: 30 });
    const from = await store.headPosition();
    await store.append('account-11', [newEvent('Skipped')], 'any');
    await visibleSince((a, l) => store.readAll(a, l), from, 1);
    const handled: string[] = [];
    handles.push(
      await quiet.consume({ name: 'interleaved', types: ['Wanted'], handler: async (e) => void handled.push(e.id) }),
    );
    await waitFor('the quiet-time save to start', () => held === 'holding');
    await store.append('account-11', [newEvent('Wanted')], 'any');
    const appended = await visibleSince((a, l) => store.readAll(a, l), from, 2);
    const head = appended[appended.length - 1]!.globalPosition;
    await waitFor('the wanted event', () => handled.length === 1);
    await waitFor('the held write', () => held === 'done');
    await pause(100);
    expect(await readCheckpoint(engine.sql, 'consumer:interleaved')).toBe(head);
  });

  it('refuses a second consumer of the same name in this process', async () => {
    await consume('single', ['AccessShared'], async () => undefined);
    await expect(consumer.consume({ name: 'single', types: [], handler: async () => undefined })).rejects.toThrow(
      /already running/,
    );
  });

  it('one bad event (issue 8, rule 3): retried maxAttempts times, then only that consumer stops, reported with the event; another consumer goes on; a reopen with the fix resumes from it', async () => {
    const reports: Array<{ name: string; status: ConsumerStatus }> = [];
    const health = { report: (name: string, status: ConsumerStatus) => void reports.push({ name, status }) };
    const bounded = new StoreEventConsumer({ store, sql: engine.sql, retryDelayMs: 10, maxAttempts: 3, health });
    const events = [newEvent('RoleChanged'), newEvent('RoleChanged'), newEvent('RoleChanged')];
    const bad = events[1]!;
    let fixed = false;
    const seen: string[] = [];
    const attempts = new Map<string, number>();
    const failing = async (e: EventEnvelope) => {
      attempts.set(e.id, (attempts.get(e.id) ?? 0) + 1);
      if (e.id === bad.id && !fixed) throw new Error('cannot handle RoleChanged');
      seen.push(e.id);
    };
    const other: string[] = [];
    const from = await store.headPosition();
    const handle = await bounded.consume({ name: 'bounded-bad', types: ['RoleChanged'], handler: failing });
    handles.push(handle);
    handles.push(
      await bounded.consume({
        name: 'bounded-other',
        types: ['RoleChanged'],
        handler: async (e) => void other.push(e.id),
      }),
    );
    await store.append('account-bad-1', events, 'any');
    const stored = await visibleSince((a, l) => store.readAll(a, l), from, 3);
    const [first, storedBad] = stored as [EventEnvelope, EventEnvelope, EventEnvelope];

    await waitFor('the failure report', () =>
      reports.some((r) => r.name === 'consumer:bounded-bad' && r.status.state === 'failed'),
    );
    expect(reports.find((r) => r.status.state === 'failed')).toEqual({
      name: 'consumer:bounded-bad',
      status: {
        state: 'failed',
        eventId: bad.id,
        eventType: 'RoleChanged',
        position: storedBad.globalPosition,
        error: 'cannot handle RoleChanged',
        since: expect.any(String),
      },
    });
    // The other consumer of the same store handles every event, the bad one included.
    await waitFor('the other consumer past it', () => other.length === 3);
    expect(other).toEqual(events.map((e) => e.id));
    await pause(200);
    expect(attempts.get(bad.id)).toBe(3);
    expect(seen).toEqual([first.id]);
    expect(attempts.has(events[2]!.id)).toBe(false);
    expect(reports.filter((r) => r.name === 'consumer:bounded-other' && r.status.state === 'failed')).toEqual([]);

    // Its checkpoint never moved past the bad event, also after close.
    await handle.close();
    handles.splice(handles.indexOf(handle), 1);
    expect(await readCheckpoint(engine.sql, 'consumer:bounded-bad')).toBeLessThan(storedBad.globalPosition);

    // Fixed and restarted: resumes from the bad event, then the rest.
    fixed = true;
    handles.push(await bounded.consume({ name: 'bounded-bad', types: ['RoleChanged'], handler: failing }));
    await waitFor('the rest handled', () => seen.length === 3);
    expect(seen).toEqual(events.map((e) => e.id));
    expect(reports.filter((r) => r.name === 'consumer:bounded-bad').at(-1)!.status).toEqual({ state: 'running' });
  });
});
