import type { EventEnvelope } from '@accord/contracts';
import { cleanupTestNats, connectTestNats, natsTestPrefix, testEventsStream } from '@accord/testing';
import { Logger } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { ConsumerHandle } from './event-consumer';
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

  async function consume(name: string, types: string[], handler: (event: EventEnvelope) => Promise<void>): Promise<ConsumerHandle> {
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
});
