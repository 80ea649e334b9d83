import { NestFactory } from '@nestjs/core';
import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import {
  streams,
  type subjects,
  type AccessSharedData,
  type AccountCreatedData,
  type EventEnvelope,
  type InvitationResentData,
  type MarkAllReadPayload,
  type MemberJoinedData,
  type MemberLeftData,
  type MemberRemovedData,
  type NotificationFailedData,
  type Reply,
  type RoleChangedData,
} from '@accord/contracts';
import { acceptAnyEvent, createEventStore, createSqlClient, type EventStore, type SqlClient } from '@accord/eventstore';
import { newInvitationLink, tokenHash } from '@accord/invitation-links';
import { InProcessRequestClient, InProcessTransport, StoreEventConsumer } from '@accord/messaging';
import { MailerReactor, NotificationServiceModule, type NotificationServiceOptions } from './index';
import { processHealth, ServicesRootModule } from '@accord/service-kit';
import { createTestDatabase, createTestPglite, eventually, type TestDatabase } from '@accord/testing';

// The notification service on the real PostgreSQL and event store, mailing a REAL SMTP server on
// loopback: events go in through the store, e-mails come out of the socket.

const LINK_KEY = randomBytes(32).toString('base64url');
const PUBLIC_URL = 'https://accord.test';
// The console's invitation page, the token in the fragment (never sent to a server).
const LINK = /https:\/\/accord\.test\/#\/invitations\/(inv_[A-Za-z0-9_-]{43})/;

/** Every log line of every app in this file: a link or token must never show up outside the embedded profile. */
const logs: string[] = [];
const capture = (message: unknown, ...rest: unknown[]) => void logs.push([message, ...rest].map(String).join(' '));
const logger: LoggerService = { log: capture, warn: capture, error: capture, debug: capture, verbose: capture };

/** Quoted-printable undone (soft breaks and =XX), enough to read nodemailer's output as text. */
function decodeQuotedPrintable(raw: string): string {
  const bytes = Buffer.from(raw.replace(/=\r?\n/g, ''), 'latin1')
    .toString('latin1')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** A loopback SMTP server that keeps what it accepts and can be told to refuse (451) or go away. */
class Mailbox {
  readonly messages: string[] = [];
  refuse = false;
  /** While set, a message to a recipient it names waits for `until` (a hung server); `held`: those recipients. */
  hold: { readonly until: Promise<void>; readonly to: (address: string) => boolean } | null = null;
  readonly held: string[] = [];
  private server: SMTPServer | null = null;
  port = 0;

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          const hold = this.hold;
          const held = session.envelope.rcptTo.map((rcpt) => rcpt.address).filter((address) => hold?.to(address));
          if (hold && held.length > 0) {
            this.held.push(...held);
            await hold.until;
          }
          if (this.refuse) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
          this.messages.push(decodeQuotedPrintable(Buffer.concat(chunks).toString('latin1')));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.server.address() as { port: number }).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(email: string): string[] {
    return this.messages.filter((m) => new RegExp(`^To: ${email.replace(/[.+]/g, '\\$&')}\\r?$`, 'mi').test(m));
  }
}

function htmlPart(message: string): string {
  const at = message.indexOf('Content-Type: text/html');
  if (at < 0) throw new Error('no HTML part');
  return message.slice(at);
}

function textPart(message: string): string {
  const at = message.indexOf('Content-Type: text/plain');
  if (at < 0) throw new Error('no text part');
  return message.slice(at, message.indexOf('Content-Type: text/html'));
}

interface Service {
  readonly app: INestMicroservice;
  readonly client: InProcessRequestClient;
  close(): Promise<void>;
}

async function startService(
  store: EventStore,
  sql: SqlClient,
  options: Partial<NotificationServiceOptions> & Pick<NotificationServiceOptions, 'mail'>,
): Promise<Service> {
  const transport = new InProcessTransport();
  const consumer = new StoreEventConsumer({ store, sql, retryDelayMs: 50, maxRetryDelayMs: 200 });
  const app = await NestFactory.createMicroservice(
    ServicesRootModule.forRoot({ store, sql, consumer, requests: new InProcessRequestClient(transport) }, [
      NotificationServiceModule.forRoot({
        linkKey: LINK_KEY,
        publicUrl: PUBLIC_URL,
        retry: { baseMs: 100, maxMs: 400 },
        pollMs: 25,
        ...options,
      }),
    ]),
    { strategy: transport, logger },
  );
  await app.listen();
  return { app, client: new InProcessRequestClient(transport), close: () => app.close() };
}

/** Appends facts the way the owning services would (the notification service only reads them). */
function writer(store: EventStore) {
  const append = async <D extends { accountId: string }>(stream: string, type: string, data: D) => {
    const id = randomUUID();
    const { lastPosition } = await store.append(
      stream,
      [
        {
          id,
          type,
          data,
          metadata: {
            accountId: data.accountId,
            actor: { userId: 'spec', via: 'session' },
            correlationId: id,
            causationId: null,
            occurredAt: new Date().toISOString(),
          },
        },
      ],
      'any',
    );
    return { id, position: lastPosition };
  };
  return {
    append,
    /** A fresh account "Acme <run>" with its root owner and the given members. */
    async account(members: { role: string }[] = []) {
      const run = randomUUID().slice(0, 8);
      const accountId = randomUUID();
      const owner = { userId: randomUUID(), email: `olivia-${run}@example.com` };
      await append<AccountCreatedData>(streams.account(accountId), 'AccountCreated', {
        accountId,
        name: `Acme ${run}`,
        rootOwner: owner,
      });
      const joined = [];
      for (const [i, m] of members.entries()) {
        const member = { userId: randomUUID(), email: `member${i}-${run}@example.com`, role: m.role };
        await append<MemberJoinedData>(streams.account(accountId), 'MemberJoined', {
          accountId,
          userId: member.userId,
          email: member.email,
          role: m.role as MemberJoinedData['role'],
          scope: { type: 'global' },
          accessId: randomUUID(),
          invitationId: randomUUID(),
        });
        joined.push(member);
      }
      return { run, accountId, name: `Acme ${run}`, owner, members: joined };
    },
  };
}

async function outcomes(
  store: EventStore,
  causeEventId: string,
): Promise<EventEnvelope<string, NotificationFailedData>[]> {
  const all = await store.readAll(0, 100_000);
  return all.filter(
    (e) => e.type.startsWith('Notification') && (e.data as NotificationFailedData).causeEventId === causeEventId,
  ) as EventEnvelope<string, NotificationFailedData>[];
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('notification service (real PostgreSQL and event store, real SMTP on loopback)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let mailbox: Mailbox;
  let service: Service;
  let events: ReturnType<typeof writer>;

  beforeAll(async () => {
    db = await createTestDatabase('accord_notifications');
    store = await createEventStore(db.sql);
    mailbox = new Mailbox();
    await mailbox.start();
    service = await startService(store, db.sql, { mail: { smtpUrl: `smtp://127.0.0.1:${mailbox.port}` } });
    events = writer(store);
  }, 30_000);

  afterAll(async () => {
    await service?.close();
    await mailbox?.stop();
    await store?.close();
    await db?.drop();
  });

  const share = async (
    account: Awaited<ReturnType<ReturnType<typeof writer>['account']>>,
    recipients: string[],
    message: string | null = null,
  ) => {
    const links = recipients.map(() => newInvitationLink(LINK_KEY));
    const data: AccessSharedData = {
      accessId: randomUUID(),
      accountId: account.accountId,
      name: 'Ops team (secret name)',
      type: 'delegate',
      scope: { type: 'global' },
      role: 'administrator',
      recipients: recipients.map((email, i) => ({
        invitationId: randomUUID(),
        email,
        link: { nonce: links[i]!.nonce, tokenHash: links[i]!.tokenHash },
      })),
      message,
      sharedBy: account.owner.userId,
      sharedAt: '2030-01-01T10:00:00.000Z',
      expiresAt: '2030-01-04T10:00:00.000Z',
    };
    const appended = await events.append(streams.access(account.accountId), 'AccessShared', data);
    return { ...appended, data };
  };

  it('AccessShared: one e-mail per recipient, with a link whose token hashes to the event’s, naming account, inviter, role and expiry; the message escaped in HTML', async () => {
    const account = await events.account();
    const [nina, mike] = [`nina-${account.run}@example.com`, `mike-${account.run}@example.com`];
    const shared = await share(account, [nina, mike], '<script>alert(1)</script> & welcome');

    await eventually(
      async () => mailbox.to(nina).length + mailbox.to(mike).length,
      (n) => n >= 2,
    );
    for (const [i, email] of [nina, mike].entries()) {
      const mails = mailbox.to(email);
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      const token = LINK.exec(textPart(mail))?.[1];
      expect(token).toBeDefined();
      expect(tokenHash(token!)).toBe(shared.data.recipients[i]!.link.tokenHash);
      expect(htmlPart(mail)).toContain(`href="${PUBLIC_URL}/#/invitations/${token}"`);
      for (const part of [account.name, account.owner.email, 'administrator', '2030-01-04T10:00:00.000Z'])
        expect(textPart(mail)).toContain(part);
      expect(htmlPart(mail)).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; welcome');
      expect(htmlPart(mail)).not.toContain('<script>');
      expect(mail).not.toContain('Ops team (secret name)'); // the access name is the sharer's only
      expect(mail).toMatch(/^Message-ID: <[0-9a-f-]{36}@accord>\r?$/m);
    }

    // Each outcome is an event on the delivery's own stream, and none carries the link.
    const recorded = await eventually(
      () => outcomes(store, shared.id),
      (o) => o.filter((e) => e.type === 'NotificationSent').length === 2,
    );
    const sent = recorded.filter((e) => e.type === 'NotificationSent');
    expect(sent.map((e) => e.data.to).sort()).toEqual([mike, nina].sort());
    for (const e of sent) {
      expect(e.streamId).toBe(streams.notification(e.data.notificationId));
      expect(e.data).toMatchObject({ kind: 'invitation', channel: 'email', attempt: 1, accountId: account.accountId });
      expect(JSON.stringify(e)).not.toMatch(/inv_/);
    }
  });

  it('a redelivered event notifies no one twice', async () => {
    const account = await events.account();
    const nina = `nina-${account.run}@example.com`;
    const shared = await share(account, [nina]);
    await eventually(
      async () => mailbox.to(nina).length,
      (n) => n >= 1,
    );

    const [envelope] = (await store.readStream(streams.access(account.accountId))).filter((e) => e.id === shared.id);
    const reactor = service.app.get(MailerReactor);
    await reactor.react(envelope!);
    await reactor.react(envelope!);
    await settle(500); // many delivery rounds
    expect(mailbox.to(nina)).toHaveLength(1);
    expect((await outcomes(store, shared.id)).filter((e) => e.type === 'NotificationSent')).toHaveLength(1);
  });

  it('SMTP refusing (451) for a while: NotificationFailed with willRetry and backoff, then exactly one e-mail and NotificationSent', async () => {
    const account = await events.account([{ role: 'administrator' }]);
    const member = account.members[0]!;
    mailbox.refuse = true;
    const removed = await events.append<MemberRemovedData>(streams.account(account.accountId), 'MemberRemoved', {
      accountId: account.accountId,
      userId: member.userId,
      email: member.email,
      removedBy: account.owner.userId,
    });
    const failures = await eventually(
      () => outcomes(store, removed.id),
      (o) => o.length >= 3,
    );
    mailbox.refuse = false;
    expect(failures.slice(0, 3).map((e) => [e.type, e.data.attempt, e.data.reason, e.data.willRetry])).toEqual([
      ['NotificationFailed', 1, 'smtp 451', true],
      ['NotificationFailed', 2, 'smtp 451', true],
      ['NotificationFailed', 3, 'smtp 451', true],
    ]);
    // Exponential backoff: the gap between attempts grows (100 ms, 200 ms, …).
    const at = failures.map((e) => Date.parse(e.occurredAt));
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(180);

    await eventually(
      async () => mailbox.to(member.email).length,
      (n) => n >= 1,
    );
    const all = await eventually(
      () => outcomes(store, removed.id),
      (o) => o.some((e) => e.type === 'NotificationSent'),
    );
    await settle(500);
    expect(mailbox.to(member.email)).toHaveLength(1);
    expect(mailbox.to(member.email)[0]).toContain(`You were removed from ${account.name}`);
    const sent = all.filter((e) => e.type === 'NotificationSent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data.attempt).toBe(all.filter((e) => e.type === 'NotificationFailed').length + 1);
  });

  it('SMTP not listening: failures are recorded with a network reason, and RoleChanged mails the member once it is back', async () => {
    const account = await events.account([{ role: 'administrator' }]);
    const member = account.members[0]!;
    await mailbox.stop();
    try {
      const changed = await events.append<RoleChangedData>(streams.account(account.accountId), 'RoleChanged', {
        accountId: account.accountId,
        userId: member.userId,
        email: member.email,
        from: 'administrator',
        to: 'accountant',
        changedBy: account.owner.userId,
      });
      const failures = await eventually(
        () => outcomes(store, changed.id),
        (o) => o.length >= 2,
      );
      for (const f of failures) {
        expect(f.type).toBe('NotificationFailed');
        expect(f.data.willRetry).toBe(true);
        expect(f.data.reason).toMatch(/^E[A-Z]+$/); // a code, not a message
      }
    } finally {
      await mailbox.start();
    }
    await eventually(
      async () => mailbox.to(member.email).length,
      (n) => n >= 1,
    );
    await settle(500);
    expect(mailbox.to(member.email)).toHaveLength(1);
    expect(mailbox.to(member.email)[0]).toContain(
      `Your role in ${account.name} changed from administrator to accountant`,
    );
  });

  it('MemberLeft mails every owner, not the one who left nor other members', async () => {
    const account = await events.account([{ role: 'owner' }, { role: 'administrator' }, { role: 'accountant' }]);
    const [coOwner, leaver, bystander] = account.members as [
      (typeof account.members)[0],
      (typeof account.members)[0],
      (typeof account.members)[0],
    ];
    await events.append<MemberLeftData>(streams.account(account.accountId), 'MemberLeft', {
      accountId: account.accountId,
      userId: leaver.userId,
      email: leaver.email,
    });

    await eventually(
      async () => mailbox.to(account.owner.email).length + mailbox.to(coOwner.email).length,
      (n) => n >= 2,
    );
    await settle(300);
    for (const owner of [account.owner.email, coOwner.email]) {
      expect(mailbox.to(owner)).toHaveLength(1);
      expect(mailbox.to(owner)[0]).toContain(`${leaver.email} left ${account.name}`);
    }
    expect(mailbox.to(leaver.email)).toEqual([]);
    expect(mailbox.to(bystander.email)).toEqual([]);
  });

  it('InvitationResent mails the new link', async () => {
    const account = await events.account();
    const nina = `nina-${account.run}@example.com`;
    const shared = await share(account, [nina]);
    const fresh = newInvitationLink(LINK_KEY);
    await events.append<InvitationResentData>(streams.access(account.accountId), 'InvitationResent', {
      accessId: shared.data.accessId,
      accountId: account.accountId,
      invitationId: shared.data.recipients[0]!.invitationId,
      email: nina,
      link: { nonce: fresh.nonce, tokenHash: fresh.tokenHash },
      expiresAt: '2030-01-07T10:00:00.000Z',
      resentBy: account.owner.userId,
    });
    await eventually(
      async () => mailbox.to(nina).length,
      (n) => n >= 2,
    );
    const resent = mailbox.to(nina).find((m) => m.includes('no longer works'))!;
    expect(tokenHash(LINK.exec(textPart(resent))![1]!)).toBe(fresh.tokenHash);
    expect(resent).toContain('2030-01-07T10:00:00.000Z');
    expect(resent).toContain('as administrator');
  });

  it('the inbox: the share notice for the recipient (any case of the address), newest first, unread count, markRead only by its owner', async () => {
    const account = await events.account([{ role: 'administrator' }]);
    const member = account.members[0]!;
    const shared = await share(account, [member.email.toUpperCase()]);
    const changed = await events.append<RoleChangedData>(streams.account(account.accountId), 'RoleChanged', {
      accountId: account.accountId,
      userId: member.userId,
      email: member.email,
      from: 'administrator',
      to: 'accountant',
      changedBy: account.owner.userId,
    });
    const inbox = async (email: string, minPosition?: number) => {
      const reply = await service.client.send('accord.query.notification.inbox', {
        payload: { email },
        ...(minPosition ? { minPosition } : {}),
      });
      if (!reply.ok) throw new Error(reply.error.code);
      return reply.value;
    };
    // Read-your-writes: asked with the last position, the answer already holds both notices.
    const view = await inbox(member.email, changed.position);
    expect(view.unread).toBe(2);
    expect(view.items.map((n) => [n.kind, n.text])).toEqual([
      ['role_changed', `Your role in ${account.name} is now accountant.`],
      ['access_shared', `${account.owner.email} shared access to ${account.name} with you (administrator).`],
    ]);
    expect(shared.position).toBeLessThan(changed.position);

    const markRead = (email: string, notificationId: string) =>
      service.client.send('accord.cmd.notification.mark-read', {
        metadata: {
          actor: { userId: 'u', via: 'session' },
          now: new Date().toISOString(),
          correlationId: randomUUID(),
        },
        payload: { email, notificationId },
      });
    const notice = view.items[1]!;
    const notMine: Reply<unknown> = await markRead(account.owner.email, notice.id);
    expect(notMine).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect((await markRead(member.email, randomUUID())).ok).toBe(false);
    expect(await markRead(member.email.toUpperCase(), notice.id)).toEqual({ ok: true, value: { read: true } });
    const after = await inbox(member.email);
    expect(after.unread).toBe(1);
    expect(after.items.find((n) => n.id === notice.id)!.read).toBe(true);
    expect((await inbox(account.owner.email)).items.filter((n) => n.accountId === account.accountId)).toEqual([]);
  });

  it('mark-all-read marks every notice of the inbox and only that inbox; again, it marks nothing; a malformed id is a 400', async () => {
    const account = await events.account([{ role: 'administrator' }]);
    const member = account.members[0]!;
    const shared = await share(account, [member.email]);
    const command = (subject: string, payload: unknown): Promise<Reply<unknown>> =>
      service.client.send(subject as typeof subjects.notification.markAllRead, {
        metadata: {
          actor: { userId: 'u', via: 'session' },
          now: new Date().toISOString(),
          correlationId: randomUUID(),
        },
        payload: payload as MarkAllReadPayload,
      });
    const unread = async (email: string, minPosition?: number) => {
      const reply = await service.client.send('accord.query.notification.inbox', {
        payload: { email },
        ...(minPosition ? { minPosition } : {}),
      });
      if (!reply.ok) throw new Error(reply.error.code);
      return reply.value.unread;
    };
    expect(await unread(member.email, shared.position)).toBeGreaterThan(0);
    const ownerBefore = await unread(account.owner.email);

    const marked = await command('accord.cmd.notification.mark-all-read', { email: member.email.toUpperCase() });
    expect(marked).toEqual({ ok: true, value: { marked: expect.any(Number) } });
    expect((marked as { value: { marked: number } }).value.marked).toBeGreaterThan(0);
    expect(await unread(member.email)).toBe(0);
    expect(await unread(account.owner.email)).toBe(ownerBefore);
    expect(await command('accord.cmd.notification.mark-all-read', { email: member.email })).toEqual({
      ok: true,
      value: { marked: 0 },
    });

    for (const payload of [{ email: member.email, notificationId: 'not-a-uuid' }, { notificationId: randomUUID() }]) {
      expect(await command('accord.cmd.notification.mark-read', payload)).toMatchObject({
        ok: false,
        error: { kind: 'validation' },
      });
    }
    expect(await command('accord.cmd.notification.mark-all-read', {})).toMatchObject({
      ok: false,
      error: { kind: 'validation', field: 'email' },
    });
  });

  // Drill "SIGKILL the relay lock holder": a worker that claimed ten deliveries and died kept all ten
  // for the whole lease, and a claim of ten sends could outlive the lease a single send is sized for.
  it('a worker leases one delivery at a time: while its send hangs, the others stay free for a replica', async () => {
    let release = (): void => undefined;
    const account = await events.account();
    const recipients = [0, 1, 2].map((i) => `lease${i}-${account.run}@example.com`);
    mailbox.hold = { until: new Promise<void>((resolve) => (release = resolve)), to: (a) => recipients.includes(a) };
    try {
      await share(account, recipients);
      await eventually(
        async () => mailbox.held.length,
        (held) => held >= 1,
        10_000,
      );
      const { rows } = await db.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notification_deliveries
          WHERE recipient = ANY($1::text[]) AND status = 'pending' AND claimed_until > now()`,
        [recipients],
      );
      expect(rows[0]!.n).toBe(1);
    } finally {
      mailbox.hold = null;
      release();
    }
    await eventually(
      async () => recipients.filter((r) => mailbox.to(r).length > 0).length,
      (n) => n === recipients.length,
      15_000,
    );
  }, 30_000);

  it('two replicas on one database send each e-mail once', async () => {
    const replicaSql = await createSqlClient({ databaseUrl: db.url });
    const replicaStore = await createEventStore(replicaSql);
    const replica = await startService(replicaStore, replicaSql, {
      mail: { smtpUrl: `smtp://127.0.0.1:${mailbox.port}` },
    });
    try {
      const account = await events.account();
      const recipients = Array.from({ length: 12 }, (_, i) => `r${i}-${account.run}@example.com`);
      await share(account, recipients);
      await eventually(
        async () => recipients.filter((r) => mailbox.to(r).length > 0).length,
        (n) => n === recipients.length,
        15_000,
      );
      await settle(500);
      for (const r of recipients) expect(mailbox.to(r)).toHaveLength(1);
    } finally {
      await replica.close();
      await replicaStore.close();
      await replicaSql.close();
    }
  }, 30_000);

  it('with SMTP configured, no log line carries an invitation token', () => {
    expect(logs.filter((l) => /inv_[A-Za-z0-9_-]{43}/.test(l))).toEqual([]);
  });
});

describe('notification service, embedded profile without SMTP (.eml files)', () => {
  const embedded = useEmbeddedMailService();

  it('writes the invitation as <timestamp>-<deliveryId>.eml holding the link (owner-only file), and never logs the link', async () => {
    const events = writer(embedded.store);
    const account = await events.account();
    const nina = `nina-${account.run}@example.com`;
    const link = newInvitationLink(LINK_KEY);
    await events.append<AccessSharedData>(streams.access(account.accountId), 'AccessShared', {
      accessId: randomUUID(),
      accountId: account.accountId,
      name: 'Ops',
      type: 'delegate',
      scope: { type: 'global' },
      role: 'accountant',
      recipients: [{ invitationId: randomUUID(), email: nina, link: { nonce: link.nonce, tokenHash: link.tokenHash } }],
      message: null,
      sharedBy: account.owner.userId,
      sharedAt: '2030-01-01T10:00:00.000Z',
      expiresAt: '2030-01-04T10:00:00.000Z',
    });
    const files = await eventually(
      async () => readdirSync(embedded.mailDir),
      (f) => f.length > 0,
    );
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d-]+Z-[0-9a-f-]{36}\.eml$/);
    const eml = decodeQuotedPrintable(readFileSync(join(embedded.mailDir, files[0]!), 'latin1'));
    expect(eml).toMatch(new RegExp(`^To: ${nina.replace(/[.+]/g, '\\$&')}$`, 'm'));
    expect(eml).toContain(`${PUBLIC_URL}/#/invitations/${link.token}`);
    expect(eml).toContain(`Message-ID: <${files[0]!.slice(-40, -4)}@accord>`);
    // The link is a secret: the log says where the mail is, never what it holds.
    expect(logs.some((l) => l.includes(files[0]!))).toBe(true);
    expect(logs.filter((l) => l.includes(link.token) || l.includes(link.nonce))).toEqual([]);
    expect(statSync(join(embedded.mailDir, files[0]!)).mode & 0o077).toBe(0);
  });
});

describe('one bad event in the inbox projection (issue 8, rule 3)', () => {
  const embedded = useEmbeddedMailService();

  it('the inbox stops alone and is reported; its queries fail fast naming it; invitation e-mail still goes out', async () => {
    const events = writer(embedded.store);
    const account = await events.account();
    // A MemberRemoved with no user id nor e-mail, as stored before the store validated schemas.
    const unchecked = await createEventStore(embedded.sql, { validateEvent: acceptAnyEvent });
    const badId = randomUUID();
    const { lastPosition: badPosition } = await unchecked.append(
      streams.account(account.accountId),
      [
        {
          id: badId,
          type: 'MemberRemoved',
          data: { accountId: account.accountId, removedBy: account.owner.userId },
          metadata: {
            accountId: account.accountId,
            actor: { userId: 'spec', via: 'session' },
            correlationId: badId,
            causationId: null,
            occurredAt: new Date().toISOString(),
          },
        },
      ],
      'any',
    );
    await unchecked.close();

    // Retried (bounded, ~12 s of backoff by default), then reported failed with the event.
    const inboxName = 'projection:notification.directory-inbox.v1';
    await eventually(
      async () => processHealth.statusOf(inboxName)?.state,
      (state) => state === 'failed',
      30_000,
    );
    expect(processHealth.snapshot().failed).toContainEqual(
      expect.objectContaining({ name: inboxName, eventId: badId, eventType: 'MemberRemoved', position: badPosition }),
    );

    // Invitation e-mail for a share made after it still goes out.
    const nina = `nina-${account.run}@example.com`;
    const link = newInvitationLink(LINK_KEY);
    const { position } = await events.append<AccessSharedData>(streams.access(account.accountId), 'AccessShared', {
      accessId: randomUUID(),
      accountId: account.accountId,
      name: 'Ops',
      type: 'delegate',
      scope: { type: 'global' },
      role: 'accountant',
      recipients: [{ invitationId: randomUUID(), email: nina, link: { nonce: link.nonce, tokenHash: link.tokenHash } }],
      message: null,
      sharedBy: account.owner.userId,
      sharedAt: '2030-01-01T10:00:00.000Z',
      expiresAt: '2030-01-04T10:00:00.000Z',
    });
    const files = await eventually(
      async () => readdirSync(embedded.mailDir),
      (f) => f.length > 0,
      20_000,
    );
    const eml = decodeQuotedPrintable(readFileSync(join(embedded.mailDir, files[0]!), 'latin1'));
    expect(eml).toMatch(new RegExp(`^To: ${nina.replace(/[.+]/g, '\\$&')}$`, 'm'));
    expect(eml).toContain(`${PUBLIC_URL}/#/invitations/${link.token}`);
    expect(eml).toContain(account.name);
    expect(processHealth.statusOf('consumer:notification-mailer')).toEqual({ state: 'running' });

    // The inbox asked for a position past the bad event answers at once: unavailable, naming it.
    const started = Date.now();
    const reply = await embedded.service.client.send('accord.query.notification.inbox', {
      payload: { email: nina },
      minPosition: position,
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(reply).toMatchObject({ ok: false, error: { kind: 'unavailable', code: 'read_model.failed' } });
    expect(!reply.ok && reply.error.message).toContain('notification.directory-inbox.v1');
  }, 60_000);
});

/**
 * The service as the embedded profile runs it (PGlite, .eml files in a throwaway folder), started
 * before the describe's tests and stopped after them.
 */
function useEmbeddedMailService() {
  const started: { sql?: SqlClient; store?: EventStore; service?: Service; mailDir?: string } = {};
  beforeAll(async () => {
    started.sql = await createTestPglite();
    started.store = await createEventStore(started.sql);
    started.mailDir = join(mkdtempSync(join(tmpdir(), 'accord-mail-')), 'mail');
    started.service = await startService(started.store, started.sql, { mail: { mailDir: started.mailDir } });
  }, 30_000);
  afterAll(async () => {
    await started.service?.close();
    await started.store?.close();
    await started.sql?.close();
    if (started.mailDir) rmSync(join(started.mailDir, '..'), { recursive: true, force: true });
  });
  return started as Required<typeof started>;
}
