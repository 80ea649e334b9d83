import { EVENT_EXAMPLES, type EventEnvelope } from '@accord/contracts';
import { cleanupTestNats, connectTestNats, natsTestPrefix, testEventsStream } from '@accord/testing';
import { Logger } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { ConsumerHandle, ConsumerStatus } from './event-consumer';
import { contextOfEventType, ensureEventsStream, eventSubjectFor } from './events-stream';
import { JetStreamEventConsumer } from './jetstream-event-consumer';
import { envelope } from './test-fixtures/envelopes';
import { pause, waitFor } from './test-fixtures/wait';

// Durable consumers on the machine's NATS, on a stream of this run only.
describe('JetStreamEventConsumer', () => {
  const prefix = natsTestPrefix();
  const stream = testEventsStream(prefix);
  let nc: NatsConnection;
  let consumer: JetStreamEventConsumer;
  const handles: ConsumerHandle[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    nc = await connectTestNats();
    await ensureEventsStream(await nc.jetstreamManager(), { ...stream, duplicateWindowMs: 60_000 });
    consumer = new JetStreamEventConsumer({ nats: nc, ...stream, nakDelayMs: 50 });
  });

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
  });

  afterAll(async () => {
    await cleanupTestNats(nc, prefix);
    await nc.close();
  });

  async function publish(event: EventEnvelope): Promise<void> {
    const subject = eventSubjectFor(stream.subjectRoot, contextOfEventType(event.type), event.type);
    await nc.jetstream().publish(subject, JSON.stringify(event), { msgID: event.id });
  }

  async function consume(
    name: string,
    types: string[],
    handler: (event: EventEnvelope) => Promise<void>,
  ): Promise<ConsumerHandle> {
    const handle = await consumer.consume({ name, types, handler });
    handles.push(handle);
    return handle;
  }

  async function pendingOf(name: string) {
    const info = await (await nc.jetstreamManager()).consumers.info(stream.streamName, name);
    return { pending: info.num_pending, ackPending: info.num_ack_pending };
  }

  it('redelivers an event whose handler threw, then acknowledges it', async () => {
    const event = envelope('AccessShared', { n: 1 });
    const attempts: string[] = [];
    await consume('retrying', ['AccessShared'], async (e) => {
      attempts.push(e.id);
      if (attempts.length === 1) throw new Error('dependency down');
    });
    await publish(event);

    await waitFor('the second delivery', () => attempts.length === 2);
    expect(attempts).toEqual([event.id, event.id]);
    await waitFor('the ack', async () => (await pendingOf('retrying')).ackPending === 0);
    await pause(200);
    expect(attempts).toHaveLength(2);
  });

  it('delivers the full envelope and skips other types', async () => {
    const wanted = envelope('MemberJoined', { userId: 'u1' });
    const other = envelope('AccountCreated');
    const seen: EventEnvelope[] = [];
    await consume('typed', ['MemberJoined', 'InvitationAccepted'], async (e) => {
      seen.push(e);
    });
    await publish(other);
    await publish(wanted);

    await waitFor('the wanted event', () => seen.length >= 1);
    await waitFor('every message settled', async () => {
      const p = await pendingOf('typed');
      return p.pending === 0 && p.ackPending === 0;
    });
    expect(seen.filter((e) => e.id === wanted.id || e.id === other.id)).toEqual([wanted]);
  });

  it('hands an event still held at an older schema version to the handler upcast (issue 11: AccessShared v1 → v2)', async () => {
    const { sharedAt: _sharedAt, ...v1Data } = EVENT_EXAMPLES.AccessShared;
    const old = { ...envelope('AccessShared', v1Data), schemaVersion: 1 };
    const seen: EventEnvelope[] = [];
    await consume('upcasting', ['AccessShared'], async (e) => {
      if (e.id === old.id) seen.push(e);
    });
    await publish(old);

    await waitFor('the old event', () => seen.length === 1);
    expect(seen[0]).toEqual({ ...old, schemaVersion: 2, data: { ...v1Data, sharedAt: old.occurredAt } });
  });

  it('resumes after a restart without redelivering acknowledged events', async () => {
    const seen: string[] = [];
    const handler = async (e: EventEnvelope) => {
      seen.push(e.id);
    };
    const first = [envelope('InvitationAccepted'), envelope('InvitationAccepted'), envelope('InvitationAccepted')];
    const handle = await consume('restartable', ['InvitationAccepted'], handler);
    for (const e of first) await publish(e);
    await waitFor('the first three', () => seen.length === 3);
    await handle.close();

    const later = [envelope('InvitationAccepted'), envelope('InvitationAccepted')];
    for (const e of later) await publish(e);
    await consume('restartable', ['InvitationAccepted'], handler);
    await waitFor('the two later ones', () => seen.length >= 5);
    await pause(200);
    expect(seen).toEqual([...first, ...later].map((e) => e.id));
  });

  it('shares one durable cursor between replicas: each event handled once', async () => {
    const seen: string[] = [];
    const handler = async (e: EventEnvelope) => {
      seen.push(e.id);
    };
    // A type no other test publishes (and outside EVENT_CONTEXT: subject context `unknown`).
    await consume('shared', ['OwnershipTransferred'], handler);
    await consume('shared', ['OwnershipTransferred'], handler);
    const events = Array.from({ length: 20 }, () => envelope('OwnershipTransferred'));
    for (const e of events) await publish(e);

    await waitFor('all twenty', () => seen.length >= 20);
    await pause(200);
    expect([...seen].sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('one bad event (issue 8, rule 3): after maxAttempts failed deliveries only that consumer stops, reported with the event, the message left unacked; another consumer goes on; a restart with the fix handles it', async () => {
    const reports: Array<{ name: string; status: ConsumerStatus }> = [];
    const health = { report: (name: string, status: ConsumerStatus) => void reports.push({ name, status }) };
    // A short ack wait: the message left unacked comes back to the restarted consumer quickly.
    const bounded = new JetStreamEventConsumer({
      nats: nc,
      ...stream,
      nakDelayMs: 50,
      ackWaitMs: 1_000,
      maxAttempts: 3,
      health,
    });
    const events = [envelope('RoleChanged'), envelope('RoleChanged'), envelope('RoleChanged')];
    const bad = events[1]!;
    let fixed = false;
    const handled: string[] = [];
    const attempts = new Map<string, number>();
    const handler = async (e: EventEnvelope) => {
      attempts.set(e.id, (attempts.get(e.id) ?? 0) + 1);
      if (e.id === bad.id && !fixed) throw new Error('cannot handle RoleChanged');
      handled.push(e.id);
    };
    const other: string[] = [];
    const handle = await bounded.consume({ name: 'bounded-bad', types: ['RoleChanged'], handler });
    handles.push(handle);
    handles.push(
      await bounded.consume({
        name: 'bounded-other',
        types: ['RoleChanged'],
        handler: async (e) => void other.push(e.id),
      }),
    );
    for (const e of events) await publish(e);

    await waitFor('the failure report', () => reports.some((r) => r.status.state === 'failed'));
    expect(reports.filter((r) => r.status.state === 'failed')).toEqual([
      {
        name: 'bounded-bad',
        status: {
          state: 'failed',
          eventId: bad.id,
          eventType: 'RoleChanged',
          position: bad.globalPosition,
          error: 'cannot handle RoleChanged',
          since: expect.any(String),
        },
      },
    ]);
    expect(attempts.get(bad.id)).toBe(3);
    // The other consumer handles every event, the bad one included.
    await waitFor('the other consumer', () => other.length === 3);
    await waitFor('the other consumer settled', async () => (await pendingOf('bounded-other')).ackPending === 0);
    // Stopped: no more attempts, and the bad message is neither acknowledged nor terminated.
    await pause(1_500);
    expect(attempts.get(bad.id)).toBe(3);
    expect(handled).not.toContain(bad.id);
    expect(
      (await pendingOf('bounded-bad')).ackPending + (await pendingOf('bounded-bad')).pending,
    ).toBeGreaterThanOrEqual(1);

    // Fixed and restarted: the bad event comes back and is handled; nothing stays pending.
    await handle.close();
    handles.splice(handles.indexOf(handle), 1);
    fixed = true;
    handles.push(await bounded.consume({ name: 'bounded-bad', types: ['RoleChanged'], handler }));
    await waitFor('the bad event handled after the restart', () => handled.includes(bad.id));
    await waitFor('every message settled', async () => {
      const p = await pendingOf('bounded-bad');
      return p.pending === 0 && p.ackPending === 0;
    });
    expect([...new Set(handled)].sort()).toEqual(events.map((e) => e.id).sort());
    expect(reports.filter((r) => r.name === 'bounded-bad').at(-1)!.status).toEqual({ state: 'running' });
  }, 30_000);
});
