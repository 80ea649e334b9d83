import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EVENTS_STREAM, ok, subjects, type EventEnvelope, type Reply } from '@accord/contracts';
import type { EventStore, SqlClient } from '@accord/eventstore';
import { Controller, Logger, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AckPolicy,
  connect,
  nanos,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type NatsConnection,
} from 'nats';
import { EventRelay } from './event-relay';
import { contextOfEventType, eventSubjectFor, isNotFound } from './events-stream';
import { JetStreamEventConsumer } from './jetstream-event-consumer';
import { natsAuthOptions, type NatsAuth } from './nats-auth';
import { NatsRequestClient } from './nats-request-client';
import { natsServerOptions } from './nats-server-options';
import { envelope } from './test-fixtures/envelopes';
import { pause, waitFor } from './test-fixtures/wait';

// Issue 8, rule 11 ("NATS is not an open door"): a nats-server of its own, started with the SHIPPED
// deploy/nats/nats-server.conf on free loopback ports, JetStream in a temporary directory. Subjects
// are the production ones (no NATS_PREFIX): nobody else uses this server. Every refusal is asserted
// as the server's permissions violation, so the suite fails if a permission were open (a timeout
// or a missing reply would not prove anything).
jest.setTimeout(30_000);

const ROOT = resolve(__dirname, '../../../..');
const CONFIG = join(ROOT, 'deploy/nats/nats-server.conf');
const USERS = ['gateway', 'membership', 'invitation', 'token', 'notification', 'events-reader', 'replay'] as const;
type User = (typeof USERS)[number];
const passwords = Object.fromEntries(
  USERS.map((user) => [user, `p-${user}-${Math.random().toString(36).slice(2)}`]),
) as Record<User, string>;
/** ACCORD_NATS_<USER>_PASS, as the config references them. */
const passwordEnv = Object.fromEntries(
  USERS.map((user) => [`ACCORD_NATS_${user.toUpperCase().replace(/-/g, '_')}_PASS`, passwords[user]]),
);

/** What Accord's config builds from NATS_USER/NATS_PASS: its own user, replies on `_INBOX.<user>`. */
const authOf = (user: User): NatsAuth => ({ user, pass: passwords[user], inboxPrefix: `_INBOX.${user}` });

@Controller()
class FakeMembershipController {
  readonly received: string[] = [];

  @MessagePattern(subjects.membership.removeMember)
  removeMember(@Payload() payload: { readonly id: string }): Reply<{ position: number }> {
    this.received.push(payload.id);
    return ok({ position: 7 });
  }

  @MessagePattern(subjects.membership.grantFacts)
  grantFacts(@Payload() payload: { readonly id: string }): Reply<{ member: boolean }> {
    this.received.push(payload.id);
    return ok({ member: true });
  }
}

@Module({ controllers: [FakeMembershipController] })
class FakeMembershipModule {}

describe('NATS permissions of deploy/nats/nats-server.conf', () => {
  let server: ChildProcess;
  let storeDir: string;
  let url: string;
  let serverLog = '';
  const connections: NatsConnection[] = [];
  const clients: NatsRequestClient[] = [];
  let membershipApp: INestMicroservice;
  let membershipController: FakeMembershipController;

  beforeAll(async () => {
    if (!process.env['DEBUG_NATS_PERMISSIONS']) Logger.overrideLogger(false);
    const which = spawnSync('which', ['nats-server'], { encoding: 'utf8' });
    if (which.status !== 0)
      throw new Error('nats-server is not on PATH: this suite starts its own server with the shipped config');
    const [port, monitorPort] = await freePorts(2);
    storeDir = mkdtempSync(join(tmpdir(), 'accord-nats-perms-'));
    url = `nats://127.0.0.1:${port}`;
    server = spawn(
      'nats-server',
      ['-c', CONFIG, '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-js', '-sd', storeDir],
      {
        env: { ...process.env, ...passwordEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    await waitForServer(server, () => serverLog);

    // A membership-service stand-in: Nest's NATS transport, authenticated as `membership`.
    membershipApp = await NestFactory.createMicroservice(FakeMembershipModule, {
      ...natsServerOptions({
        servers: url,
        queue: 'membership-service',
        auth: authOf('membership'),
        name: 'membership',
      }),
      logger: false,
    });
    await membershipApp.listen();
    membershipController = membershipApp.get(FakeMembershipController);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await membershipApp?.close();
    await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
    if (server && server.exitCode === null) {
      const exited = new Promise((done) => server.once('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
    if (storeDir) rmSync(storeDir, { recursive: true, force: true });
  });

  /** A raw nats.js connection as `user`, with Accord's connection options; records async errors. */
  async function connectAs(user: User): Promise<{ nc: NatsConnection; errors: string[] }> {
    const nc = await connect({ servers: url, name: `perm-test-${user}`, ...natsAuthOptions(authOf(user)) });
    connections.push(nc);
    const errors: string[] = [];
    void (async () => {
      for await (const status of nc.status()) if (status.type === 'error') errors.push(String(status.data));
    })();
    return { nc, errors };
  }

  function requestClientAs(user: User): NatsRequestClient {
    const client = new NatsRequestClient({
      servers: url,
      auth: authOf(user),
      name: `perm-test-${user}-requests`,
      defaultTimeoutMs: 2_000,
    });
    clients.push(client);
    return client;
  }

  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  /** Nest's wire format of a request (what `ClientNats` sends). */
  const nestPacket = (pattern: string, data: unknown) => encode({ pattern, data, id: `raw-${Math.random()}` });

  it('is the config docker-compose mounts and k8s embeds (ConfigMap accord-nats-config)', () => {
    const shipped = readFileSync(CONFIG, 'utf8');
    expect(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')).toContain(
      './deploy/nats/nats-server.conf:/etc/nats/accord.conf:ro',
    );
    // The ConfigMap's one key is a literal block that runs to the end of the file.
    const k8s = readFileSync(join(ROOT, 'k8s/base/nats-config.yaml'), 'utf8');
    const block = /\n  nats-server\.conf: \|\n([\s\S]*)$/.exec(k8s)?.[1];
    expect(block).toBeDefined();
    const embedded = block!
      .split('\n')
      .map((line) => line.replace(/^ {4}/, ''))
      .join('\n');
    expect(embedded).toBe(shipped);
  });

  describe('authentication', () => {
    it('refuses a connection without credentials or with a wrong password', async () => {
      await expect(connect({ servers: url, reconnect: false })).rejects.toMatchObject({
        code: 'AUTHORIZATION_VIOLATION',
      });
      await expect(connect({ servers: url, user: 'gateway', pass: 'wrong', reconnect: false })).rejects.toMatchObject({
        code: 'AUTHORIZATION_VIOLATION',
      });
      await expect(
        connect({ servers: url, user: 'membership', pass: passwords.gateway, reconnect: false }),
      ).rejects.toMatchObject({
        code: 'AUTHORIZATION_VIOLATION',
      });
    });
  });

  describe('request/reply', () => {
    it('the gateway requests a command that the membership user answers, through Accord’s own client and server', async () => {
      const reply = await requestClientAs('gateway').sendRaw(subjects.membership.removeMember, { id: 'from-gateway' });
      expect(reply).toEqual({ ok: true, value: { position: 7 } });
      expect(membershipController.received).toContain('from-gateway');
    });

    it('a service may ask membership for grant-facts (a query it needs)', async () => {
      const reply = await requestClientAs('invitation').sendRaw(subjects.membership.grantFacts, {
        id: 'from-invitation',
      });
      expect(reply).toEqual({ ok: true, value: { member: true } });
    });

    it('the gateway asks a service for its health; another service cannot answer for it', async () => {
      const membership = await connectAs('membership');
      membership.nc.subscribe('accord.health.membership', {
        callback: (_error, msg) => msg.respond(encode({ status: 'ok' })),
      });
      await membership.nc.flush();
      const gateway = await connectAs('gateway');
      const answer = await gateway.nc.request('accord.health.membership', new Uint8Array(), { timeout: 2_000 });
      expect(JSON.parse(new TextDecoder().decode(answer.data))).toEqual({ status: 'ok' });

      const token = await connectAs('token');
      await expectSubscriptionRefused(token.nc, 'accord.health.membership');
    });

    it('the events-reader cannot send a command: its publish is refused and no service receives it', async () => {
      const { nc, errors } = await connectAs('events-reader');
      await expect(
        nc.request(
          subjects.membership.removeMember,
          nestPacket(subjects.membership.removeMember, { id: 'from-reader' }),
          { timeout: 2_000 },
        ),
      ).rejects.toMatchObject({
        code: 'PERMISSIONS_VIOLATION',
        message: expect.stringContaining(`Publish to "${subjects.membership.removeMember}"`),
      });
      nc.publish(
        subjects.membership.removeMember,
        nestPacket(subjects.membership.removeMember, { id: 'from-reader-publish' }),
      );
      await nc.flush();
      await waitFor('the publish violation', () => errors.some((e) => /PERMISSIONS_VIOLATION/.test(e)), 5_000);

      const viaAccordClient = await requestClientAs('events-reader').sendRaw(
        subjects.membership.removeMember,
        { id: 'from-reader-client' },
        { timeoutMs: 500 },
      );
      expect(viaAccordClient.ok).toBe(false);
      expect(membershipController.received).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^from-reader/)]),
      );
    });

    it('the events-reader cannot send queries or authorization checks either', async () => {
      const { nc } = await connectAs('events-reader');
      for (const subject of [subjects.membership.grantFacts, subjects.token.verify, subjects.authz.check]) {
        await expect(nc.request(subject, nestPacket(subject, {}), { timeout: 2_000 })).rejects.toMatchObject({
          code: 'PERMISSIONS_VIOLATION',
          message: expect.stringContaining(`Publish to "${subject}"`),
        });
      }
    });

    it('a service cannot subscribe to another service’s subject, so it cannot answer it', async () => {
      const { nc } = await connectAs('token');
      // Joining membership's queue group would take half of its requests: refused.
      await expectSubscriptionRefused(nc, subjects.membership.removeMember, 'membership-service');
      await expectSubscriptionRefused(nc, 'accord.query.membership.>');
    });

    it('a service cannot read or forge replies meant for the gateway', async () => {
      const { nc } = await connectAs('token');
      await expectSubscriptionRefused(nc, '_INBOX.>');
      await expectSubscriptionRefused(nc, '_INBOX.gateway.>');
      await expect(
        nc.request('_INBOX.gateway.forged', encode({ response: ok('forged'), isDisposed: true }), { timeout: 2_000 }),
      ).rejects.toMatchObject({
        code: 'PERMISSIONS_VIOLATION',
        message: expect.stringContaining('Publish to "_INBOX.gateway.forged"'),
      });
    });

    it('a service cannot send commands to another service, and the gateway cannot add members directly', async () => {
      const token = await connectAs('token');
      await expect(
        token.nc.request(subjects.membership.removeMember, nestPacket(subjects.membership.removeMember, {}), {
          timeout: 2_000,
        }),
      ).rejects.toMatchObject({
        code: 'PERMISSIONS_VIOLATION',
      });
      const gateway = await connectAs('gateway');
      await expect(
        gateway.nc.request(subjects.membership.addMember, nestPacket(subjects.membership.addMember, {}), {
          timeout: 2_000,
        }),
      ).rejects.toMatchObject({
        code: 'PERMISSIONS_VIOLATION',
        message: expect.stringContaining(`Publish to "${subjects.membership.addMember}"`),
      });
    });

    it('the gateway cannot publish events', async () => {
      const { nc } = await connectAs('gateway');
      await expect(
        nc
          .jetstream()
          .publish('accord.events.membership.MemberRemoved', encode(envelope('MemberRemoved')), { timeout: 2_000 }),
      ).rejects.toMatchObject({
        code: 'PERMISSIONS_VIOLATION',
      });
    });
  });

  describe('events (JetStream stream ACCORD_EVENTS)', () => {
    let relay: EventRelay;
    const appended: EventEnvelope[] = [];

    beforeAll(async () => {
      // The relay as every service process runs it, authenticated as a service user. Stand-ins for
      // the store (the relay only reads it) and its checkpoint table (a run starts from 0 and keeps
      // its position in memory): this suite is about NATS rights, not storage.
      const store: Pick<EventStore, 'readAll'> = {
        readAll: async (after, limit) => appended.filter((e) => e.globalPosition > after).slice(0, limit),
      };
      const { nc } = await connectAs('membership');
      relay = new EventRelay({
        store: store as EventStore,
        sql: checkpointsNowhere(),
        nats: nc,
        lockRetryMs: 50,
        idlePollMs: 20,
      });
      relay.start();
      appended.push(
        envelope('MemberRemoved', {
          accountId: 'acc-1',
          userId: 'user-2',
          email: 'b@example.com',
          removedBy: 'user-1',
        }),
      );
      appended.push(envelope('AccessShared', { accountId: 'acc-1' }));
      await waitFor('the relay to publish both events', () => relay.status().published === 2);
    });

    afterAll(async () => {
      await relay?.stop();
    });

    it('a service user relays events and consumes them through its durable consumer', async () => {
      const { nc } = await connectAs('token');
      const seen: EventEnvelope[] = [];
      const handle = await new JetStreamEventConsumer({ nats: nc, ackWaitMs: 5_000 }).consume({
        name: 'token-member-gone',
        types: ['MemberRemoved'],
        handler: async (event) => {
          seen.push(event);
        },
      });
      try {
        await waitFor('the token service to get MemberRemoved', () => seen.length === 1);
        expect(seen[0]).toEqual(appended[0]);
      } finally {
        await handle.close();
      }
    });

    it('the events-reader creates its durable consumer and reads the events the relay published', async () => {
      const { nc } = await connectAs('events-reader');
      const jsm = await nc.jetstreamManager();
      await jsm.consumers.add(EVENTS_STREAM, { durable_name: 'events-reader', ack_policy: AckPolicy.Explicit });
      const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, 'events-reader');
      const read: EventEnvelope[] = [];
      for (let i = 0; i < appended.length; i++) {
        const msg = await consumer.next({ expires: 5_000 });
        if (!msg) throw new Error('no event for the events-reader');
        read.push(JSON.parse(new TextDecoder().decode(msg.data)) as EventEnvelope);
        await msg.ackAck();
      }
      expect(read).toEqual(appended);
    });

    it('events the events-reader pushes onto a service subject (push consumer) are not handled as requests', async () => {
      // Residual right of any user that may create a consumer: JetStream delivers where the
      // consumer says. Accord's NATS server drops stream deliveries ($JS.ACK replies) unhandled.
      const handledBefore = membershipController.received.length;
      const { nc: witness } = await connectAs('membership');
      let delivered = 0;
      witness.subscribe(subjects.membership.removeMember, { callback: () => (delivered += 1) });
      await witness.flush();
      const { nc } = await connectAs('events-reader');
      const jsm = await nc.jetstreamManager();
      await jsm.consumers.delete(EVENTS_STREAM, 'events-reader').catch(() => undefined);
      await jsm.consumers.add(EVENTS_STREAM, {
        durable_name: 'events-reader',
        ack_policy: AckPolicy.None,
        deliver_subject: subjects.membership.removeMember,
      });
      try {
        await waitFor('the pushed events', () => delivered === appended.length, 5_000);
        await pause(300);
        expect(membershipController.received.length).toBe(handledBefore);
      } finally {
        await jsm.consumers.delete(EVENTS_STREAM, 'events-reader');
      }
    });

    it('the events-reader cannot publish events, neither through JetStream nor plain NATS', async () => {
      const { nc, errors } = await connectAs('events-reader');
      const subject = 'accord.events.membership.MemberJoined';
      await expect(
        nc.jetstream().publish(subject, encode(envelope('MemberJoined')), { timeout: 2_000 }),
      ).rejects.toMatchObject({
        code: 'PERMISSIONS_VIOLATION',
        message: expect.stringContaining(`Publish to "${subject}"`),
      });
      nc.publish(subject, encode(envelope('MemberJoined')));
      await nc.flush();
      await waitFor('the publish violation', () => errors.some((e) => /PERMISSIONS_VIOLATION/.test(e)), 5_000);
      const admin = await connectAs('membership');
      const info = await (await admin.nc.jetstreamManager()).streams.info(EVENTS_STREAM);
      expect(info.state.messages).toBe(appended.length);
    });

    it('the events-reader cannot pull from a service’s durable, create one under another name, or change the stream', async () => {
      const { nc } = await connectAs('events-reader');
      const jsm = await nc.jetstreamManager();
      await expect(nc.jetstream().consumers.get(EVENTS_STREAM, 'token-member-gone')).rejects.toMatchObject({
        code: 'PERMISSIONS_VIOLATION',
      });
      await expect(
        nc.request(
          `$JS.API.CONSUMER.MSG.NEXT.${EVENTS_STREAM}.token-member-gone`,
          encode({ batch: 1, expires: 1_000_000_000 }),
          { timeout: 2_000 },
        ),
      ).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
      await expect(
        jsm.consumers.add(EVENTS_STREAM, { durable_name: 'notification-mailer', ack_policy: AckPolicy.Explicit }),
      ).rejects.toMatchObject({
        code: 'PERMISSIONS_VIOLATION',
      });
      await expect(jsm.streams.purge(EVENTS_STREAM)).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
      await expect(jsm.streams.delete(EVENTS_STREAM)).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
    });

    it('the events-reader cannot read replies on other users’ inboxes', async () => {
      const { nc } = await connectAs('events-reader');
      await expectSubscriptionRefused(nc, '_INBOX.gateway.>');
      await expectSubscriptionRefused(nc, '_INBOX.>');
    });
  });

  describe('replays (`accord replay`, stream ACCORD_REPLAY_replay)', () => {
    // The calls of apps/cli/src/replay (a shared lib may not import an app): the stream is found
    // by subject or created, each event published with a PubAck and Nats-Msg-Id = event id.
    const REPLAY_STREAM = 'ACCORD_REPLAY_replay';
    const replayed = [
      envelope('MemberRemoved', { accountId: 'acc-1', userId: 'user-3' }),
      envelope('AccessShared', { accountId: 'acc-1' }),
    ];

    async function replay(nc: NatsConnection, prefix: string, events: readonly EventEnvelope[]) {
      const stream = await ensureReplayStream(await nc.jetstreamManager(), prefix);
      const js = nc.jetstream();
      const acks = [];
      for (const event of events) {
        const subject = eventSubjectFor(prefix, contextOfEventType(event.type), event.type);
        acks.push(await js.publish(subject, encode(event), { msgID: event.id }));
      }
      return { stream, acks };
    }

    it('the replay user creates ACCORD_REPLAY_replay on `replay.>` and publishes; a rerun under `replay.…` stores nothing twice', async () => {
      const { nc } = await connectAs('replay');
      const first = await replay(nc, 'replay', replayed);
      expect(first.stream).toBe(REPLAY_STREAM);
      expect(first.acks.map((a) => [a.stream, a.duplicate])).toEqual([
        [REPLAY_STREAM, false],
        [REPLAY_STREAM, false],
      ]);

      const extra = envelope('MemberJoined', { accountId: 'acc-1' });
      const rerun = await replay(nc, 'replay.audit-1', [...replayed, extra]);
      expect(rerun.stream).toBe(REPLAY_STREAM);
      expect(rerun.acks.map((a) => a.duplicate)).toEqual([true, true, false]);
      replayed.push(extra);

      const { nc: reader } = await connectAs('events-reader');
      const info = await (await reader.jetstreamManager()).streams.info(REPLAY_STREAM);
      expect(info.config.subjects).toEqual(['replay.>']);
      expect(info.state.messages).toBe(replayed.length);
    });

    it('the replay user cannot create, read or change any other stream, nor change its own', async () => {
      const { nc } = await connectAs('replay');
      const jsm = await nc.jetstreamManager();
      for (const name of ['ACCORD_REPLAY_replay_audit-2', 'REPLAY', EVENTS_STREAM]) {
        await expect(jsm.streams.add({ name, subjects: ['replay.elsewhere.>'] })).rejects.toMatchObject({
          code: 'PERMISSIONS_VIOLATION',
          message: expect.stringContaining(`Publish to "$JS.API.STREAM.CREATE.${name}"`),
        });
      }
      for (const name of [EVENTS_STREAM, REPLAY_STREAM]) {
        await expect(jsm.streams.info(name)).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
        await expect(jsm.streams.update(name, { subjects: ['replay.>'] })).rejects.toMatchObject({
          code: 'PERMISSIONS_VIOLATION',
        });
        await expect(jsm.streams.purge(name)).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
        await expect(jsm.streams.delete(name)).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
        await expect(
          jsm.consumers.add(name, { durable_name: 'replay', ack_policy: AckPolicy.Explicit }),
        ).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
      }
    });

    it('the replay user cannot publish events or send commands, nor read the live events or others’ replies', async () => {
      const { nc, errors } = await connectAs('replay');
      const event = 'accord.events.membership.MemberRemoved';
      await expect(
        nc.jetstream().publish(event, encode(envelope('MemberRemoved')), { msgID: 'forged', timeout: 2_000 }),
      ).rejects.toMatchObject({
        code: 'PERMISSIONS_VIOLATION',
        message: expect.stringContaining(`Publish to "${event}"`),
      });
      const command = subjects.membership.removeMember;
      await expect(
        nc.request(command, nestPacket(command, { id: 'from-replay' }), { timeout: 2_000 }),
      ).rejects.toMatchObject({
        code: 'PERMISSIONS_VIOLATION',
        message: expect.stringContaining(`Publish to "${command}"`),
      });
      const errorsBefore = errors.length;
      nc.publish(command, nestPacket(command, { id: 'from-replay-publish' }));
      await nc.flush();
      await waitFor(
        'the publish violation',
        () => errors.slice(errorsBefore).some((e) => /PERMISSIONS_VIOLATION/.test(e)),
        5_000,
      );
      expect(membershipController.received).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^from-replay/)]),
      );
      await expectSubscriptionRefused(nc, 'accord.events.>');
      await expectSubscriptionRefused(nc, '_INBOX.events-reader.>');
    });

    it('the events-reader reads the replay through its own durable, and cannot publish a replay', async () => {
      const { nc } = await connectAs('events-reader');
      const jsm = await nc.jetstreamManager();
      await jsm.consumers.add(REPLAY_STREAM, { durable_name: 'events-reader', ack_policy: AckPolicy.Explicit });
      const consumer = await nc.jetstream().consumers.get(REPLAY_STREAM, 'events-reader');
      const read: EventEnvelope[] = [];
      for (let i = 0; i < replayed.length; i++) {
        const msg = await consumer.next({ expires: 5_000 });
        if (!msg) throw new Error('no replayed event for the events-reader');
        expect(msg.headers?.get('Nats-Msg-Id')).toBe(replayed[i]!.id);
        read.push(JSON.parse(new TextDecoder().decode(msg.data)) as EventEnvelope);
        await msg.ackAck();
      }
      expect(read).toEqual(replayed);
      await jsm.consumers.delete(REPLAY_STREAM, 'events-reader');

      await expect(
        jsm.consumers.add(REPLAY_STREAM, { durable_name: 'someone-else', ack_policy: AckPolicy.Explicit }),
      ).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
      await expect(
        nc
          .jetstream()
          .publish('replay.membership.MemberRemoved', encode(envelope('MemberRemoved')), { timeout: 2_000 }),
      ).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
      await expect(jsm.streams.purge(REPLAY_STREAM)).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
    });
  });
});

/**
 * The server refuses the subscription: nats.js ends its iterator with the permissions violation.
 * An accepted subscription fails the test after 3 s instead of hanging.
 */
async function expectSubscriptionRefused(nc: NatsConnection, subject: string, queue?: string): Promise<void> {
  const sub = nc.subscribe(subject, queue ? { queue } : {});
  const outcome = (async () => {
    for await (const _msg of sub) return 'a message was delivered';
    return 'the subscription ended without an error';
  })();
  const accepted = new Promise<string>((done) =>
    setTimeout(() => done('the subscription was accepted'), 3_000).unref(),
  );
  await expect(Promise.race([outcome, accepted])).rejects.toMatchObject({
    code: 'PERMISSIONS_VIOLATION',
    message: expect.stringContaining(`Subscription to "${subject}"`),
  });
  sub.unsubscribe();
}

/** As the CLI (replay-stream.ts): the stream capturing `<prefix>.>`, else ACCORD_REPLAY_<prefix, dots as _>. */
async function ensureReplayStream(jsm: JetStreamManager, prefix: string): Promise<string> {
  try {
    return await jsm.streams.find(`${prefix}.x`);
  } catch (error) {
    if (!isNotFound(error) && !/no stream matches/i.test((error as Error).message)) throw error;
  }
  const name = `ACCORD_REPLAY_${prefix.replace(/\./g, '_')}`;
  await jsm.streams.add({
    name,
    subjects: [`${prefix}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(24 * 60 * 60_000),
  });
  return name;
}

/** A SqlClient with no table: every read finds no row, every write is dropped. */
function checkpointsNowhere(): SqlClient {
  const sql: SqlClient = {
    kind: 'pglite',
    query: async <Row>() => ({ rows: [] as Row[] }),
    transaction: (work) => work(sql),
    close: async () => undefined,
  };
  return sql;
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((done, fail) => {
          const s = createServer();
          s.once('error', fail);
          s.listen(0, '127.0.0.1', () => done(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  return ports;
}

async function waitForServer(server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!/Server is ready/.test(log())) {
    if (server.exitCode !== null) throw new Error(`nats-server exited (${server.exitCode}):\n${log()}`);
    if (Date.now() > deadline) throw new Error(`nats-server did not start:\n${log()}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}
