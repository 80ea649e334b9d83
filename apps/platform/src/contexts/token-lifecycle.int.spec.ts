import { NestFactory } from '@nestjs/core';
import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  subjects,
  type Actor,
  type EventEnvelope,
  type IssueTokenPayload,
  type RevokeTokenPayload,
} from '@accord/contracts';
import { createEventStore, type EventStore, type SqlClient } from '@accord/eventstore';
import { InProcessRequestClient, InProcessTransport, StoreEventConsumer, type RequestClient } from '@accord/messaging';
import { ServicesRootModule } from '@accord/service-kit';
import { createTestDatabase, eventually, holdReadersBack } from '@accord/testing';
import {
  LastUsedRecorder,
  MemberGoneReactor,
  TokenIndex,
  ApiTokenServiceModule,
  accessTokenId,
} from '@accord/api-token-service';
import { startMembershipService, type Members } from '@accord/membership-service';

/** Every line Nest or the service logs, to prove no secret is ever written to a log. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private capture = (...parts: unknown[]) =>
    void this.lines.push(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  log = this.capture;
  error = this.capture;
  warn = this.capture;
  debug = this.capture;
  verbose = this.capture;
  fatal = this.capture;
}

// The token lifecycle on the real PostgreSQL, through the request/reply handlers the gateway uses:
// revocation (by hand and when the member goes), expiry, last use, and where the secret never goes.
// The membership service runs beside it (its own bus, as a separate service): every fact the token
// service decides on — member, owner, scope, held permissions — comes from real membership events.
describe('token lifecycle (real PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: EventStore;
  let app: INestMicroservice;
  let membershipApp: INestMicroservice;
  let membership: RequestClient;
  let members: Members;
  let client: InProcessRequestClient;
  const logger = new CapturingLogger();
  const secrets: string[] = [];

  const startApp = async (transport: InProcessTransport) => {
    const infrastructure = {
      store,
      sql: db.sql,
      consumer: new StoreEventConsumer({ store, sql: db.sql }),
      requests: membership,
    };
    const service = await NestFactory.createMicroservice(
      ServicesRootModule.forRoot(infrastructure, [ApiTokenServiceModule.forRoot({ lastUsedFlushMs: 60_000 })]),
      {
        strategy: transport,
        logger,
      },
    );
    await service.listen();
    return service;
  };

  beforeAll(async () => {
    db = await createTestDatabase('accord_token_life');
    store = await createEventStore(db.sql);
    ({ app: membershipApp, requests: membership, members } = await startMembershipService(store, db.sql));
    const transport = new InProcessTransport();
    app = await startApp(transport);
    client = new InProcessRequestClient(transport);
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await membershipApp?.close();
    await store?.close();
    await db?.drop();
  });

  const metadata = (userId: string, now = new Date().toISOString(), via: Actor['via'] = 'session') => ({
    actor: { userId, via },
    now,
    correlationId: randomUUID(),
  });
  /** An account owned by u-owner with these users as members (administrators unless told). */
  const accountWith = async (...userIds: string[]) => {
    const accountId = await members.account();
    for (const userId of userIds) await members.join(accountId, userId);
    return accountId;
  };
  const sendIssue = (
    accountId: string,
    userId: string,
    over: Partial<IssueTokenPayload> = {},
    now?: string,
    via: Actor['via'] = 'session',
  ) =>
    client.send(subjects.token.issue, {
      metadata: metadata(userId, now, via),
      payload: { accountId, userId, email: `${userId}@example.com`, name: 'CI', ...over },
      // Read-your-writes: the membership service answers no older than what the spec just wrote.
      minPosition: members.position,
    });
  const issue = async (accountId: string, userId: string, over: Partial<IssueTokenPayload> = {}, now?: string) => {
    const reply = await sendIssue(accountId, userId, over, now);
    if (!reply.ok) throw new Error(reply.error.code);
    secrets.push(reply.value.token);
    return reply.value;
  };
  const revoke = (by: string, payload: RevokeTokenPayload) =>
    client.send(subjects.token.revoke, { metadata: metadata(by), payload, minPosition: members.position });
  const verify = (token: string, minPosition?: number, via = client) =>
    via.send(subjects.token.verify, { payload: { token }, ...(minPosition ? { minPosition } : {}) });
  const list = (accountId: string, minPosition?: number) =>
    client.send(subjects.token.list, { payload: { accountId }, ...(minPosition ? { minPosition } : {}) });
  const invalidToken = {
    ok: false,
    error: expect.objectContaining({ kind: 'unauthenticated', code: 'token.invalid' }),
  };
  const refused = (kind: string, code: string, field?: string) => ({
    ok: false,
    error: expect.objectContaining({ kind, code, ...(field ? { field } : {}) }),
  });
  const revocations = async (tokenId: string) =>
    (await store.readStream(`token-${tokenId}`)).filter((e) => e.type === 'ApiTokenRevoked');

  it('a revoked token fails on the very next verification that passes the revoke’s position, every time', async () => {
    const accountId = await accountWith('u1');
    for (let i = 0; i < 20; i++) {
      const issued = await issue(accountId, 'u1');
      expect(await verify(issued.token, issued.position)).toMatchObject({
        ok: true,
        value: { tokenId: issued.id, userId: 'u1', accountId },
      });
      const revoked = await revoke('u1', { accountId, tokenId: issued.id });
      if (!revoked.ok) throw new Error(revoked.error.code);
      expect(await verify(issued.token, revoked.value.position)).toEqual(invalidToken);
    }
  });

  it('an expired token fails; one that expires later still works', async () => {
    const accountId = await accountWith('u1');
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    // Issued an hour ago to expire a minute ago: the expiry is checked at verification time.
    const expired = await issue(accountId, 'u1', { expiresAt: new Date(Date.now() - 60_000).toISOString() }, anHourAgo);
    const live = await issue(accountId, 'u1', { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(await verify(expired.token, live.position)).toEqual(invalidToken);
    expect((await verify(live.token, live.position)).ok).toBe(true);
  });

  it('unknown, tampered and garbage tokens get the one same answer', async () => {
    const issued = await issue(await accountWith('u1'), 'u1');
    const tampered = issued.token.slice(0, -1) + (issued.token.endsWith('a') ? 'b' : 'a');
    for (const bad of [tampered, 'acc_' + '0'.repeat(49), 'not a token', ''])
      expect(await verify(bad, issued.position)).toEqual(invalidToken);
  });

  it('an owner of another account cannot revoke this account’s token: not found, and it keeps working', async () => {
    const accountId = await accountWith('u1');
    const issued = await issue(accountId, 'u1');
    const otherAccount = await members.account('u-other-owner');
    const foreign = await revoke('u-other-owner', { accountId: otherAccount, tokenId: issued.id });
    expect(foreign).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: 'not_found', code: 'token.not_found' }),
    });
    expect(await revocations(issued.id)).toHaveLength(0);
    // Its own account's owner can.
    const owner = await revoke('u-owner', { accountId, tokenId: issued.id });
    expect(owner.ok).toBe(true);
    expect((await revocations(issued.id)).map((e) => e.data)).toEqual([
      expect.objectContaining({ reason: 'revoked_by_owner', revokedBy: 'u-owner' }),
    ]);
  });

  it('MemberRemoved revokes every token of that member in that account, and only those', async () => {
    const accountId = await accountWith('u-mike', 'u-ann');
    const elsewhere = await accountWith('u-mike');
    const [first, second] = [await issue(accountId, 'u-mike'), await issue(accountId, 'u-mike')];
    const colleague = await issue(accountId, 'u-ann');
    const otherAccount = await issue(elsewhere, 'u-mike');
    await members.remove(accountId, 'u-mike');

    for (const token of [first, second]) {
      const events = await eventually(
        () => revocations(token.id),
        (found) => found.length > 0,
      );
      expect(events.map((e) => e.data)).toEqual([
        expect.objectContaining({ reason: 'member_removed', revokedBy: 'u-owner', userId: 'u-mike' }),
      ]);
      expect(await verify(token.token, events[0]!.globalPosition)).toEqual(invalidToken);
    }
    const head = await store.committedHeadPosition();
    for (const token of [colleague, otherAccount]) {
      expect(await revocations(token.id)).toHaveLength(0);
      expect((await verify(token.token, head)).ok).toBe(true);
    }
  });

  it('a redelivered removal or a MemberLeft after it appends nothing more', async () => {
    const accountId = await accountWith('u-mike');
    const issued = await issue(accountId, 'u-mike');
    await members.remove(accountId, 'u-mike');
    await eventually(
      () => revocations(issued.id),
      (found) => found.length > 0,
    );
    const [cause] = (await store.readStream(`account-${accountId}`)).filter((e) => e.type === 'MemberRemoved');
    // At-least-once delivery: the same event handed to the reaction again.
    const reactor = app.get(MemberGoneReactor);
    await reactor.react(cause!);
    await reactor.react({ ...cause!, id: randomUUID(), type: 'MemberLeft' } as EventEnvelope);
    expect(await revocations(issued.id)).toHaveLength(1);
  });

  it('MemberLeft revokes with reason member_left', async () => {
    const accountId = await accountWith('u-leaver');
    const issued = await issue(accountId, 'u-leaver');
    await members.leave(accountId, 'u-leaver');
    const events = await eventually(
      () => revocations(issued.id),
      (found) => found.length > 0,
    );
    expect(events[0]!.data).toMatchObject({ reason: 'member_left', revokedBy: 'u-leaver' });
  });

  it('last use is batched: listed at once, written by the flush, never moved backwards, and no event per use', async () => {
    const accountId = await accountWith('u1');
    const issued = await issue(accountId, 'u1');
    const never = await issue(accountId, 'u1', { name: 'unused' });
    // The uses below carry no position (as a client's requests don't): let the index read the issue.
    expect(await app.get(TokenIndex).waitFor(never.position, 5_000)).toBe(true);
    const headBefore = await store.committedHeadPosition();
    for (let i = 0; i < 1000; i++) expect((await verify(issued.token)).ok).toBe(true);
    expect(await store.committedHeadPosition()).toBe(headBefore);

    // Before the flush the list merges the time held in memory.
    const beforeFlush = await list(accountId, never.position);
    if (!beforeFlush.ok) throw new Error(beforeFlush.error.code);
    const lastUsed = beforeFlush.value.items.find((t) => t.id === issued.id)!.lastUsedAt;
    expect(lastUsed).not.toBeNull();
    expect(beforeFlush.value.items.find((t) => t.id === never.id)!.lastUsedAt).toBeNull();

    const recorder = app.get(LastUsedRecorder);
    await recorder.flush();
    const stored = await db.sql.query<{ last_used_at: Date }>(
      `SELECT last_used_at FROM token_last_used WHERE token_id = $1`,
      [issued.id],
    );
    expect(stored.rows.map((r) => r.last_used_at.toISOString())).toEqual([lastUsed]);

    // Another replica's older batch lands late: the time stays.
    recorder.record(issued.id, new Date(Date.parse(lastUsed!) - 60_000).toISOString());
    await recorder.flush();
    const afterFlush = await list(accountId);
    if (!afterFlush.ok) throw new Error(afterFlush.error.code);
    expect(afterFlush.value.items.find((t) => t.id === issued.id)).toMatchObject({
      lastUsedAt: lastUsed,
      prefix: issued.token.slice(0, 8),
      name: 'CI',
      revoked: false,
    });
    expect(JSON.stringify(afterFlush.value)).not.toContain(issued.token);
  });

  it('a failed flush keeps its batch for the next one', async () => {
    let failing = true;
    // The real database behind a switch that drops every statement, like a lost connection.
    const flaky: SqlClient = {
      kind: db.sql.kind,
      query: (text, params) => (failing ? Promise.reject(new Error('connection lost')) : db.sql.query(text, params)),
      transaction: (work) => db.sql.transaction(work),
      close: async () => undefined,
    };
    const recorder = new LastUsedRecorder(flaky, {});
    const tokenId = randomUUID();
    const at = new Date().toISOString();
    recorder.record(tokenId, at);
    await expect(recorder.flush()).rejects.toThrow('connection lost');
    expect(recorder.unflushed(tokenId)).toBe(at);
    failing = false;
    await recorder.flush();
    const stored = await db.sql.query<{ last_used_at: Date }>(
      `SELECT last_used_at FROM token_last_used WHERE token_id = $1`,
      [tokenId],
    );
    expect(stored.rows.map((r) => r.last_used_at.toISOString())).toEqual([at]);
    expect(recorder.unflushed(tokenId)).toBeUndefined();
  });

  it('a token never exceeds its user: the token service checks permissions and scope against the membership service', async () => {
    const accountId = await members.account();
    const [b1, b2] = [await members.billingAccount(accountId), await members.billingAccount(accountId)];
    await members.join(accountId, 'u-acc', 'accountant');
    await members.join(accountId, 'u-b1', 'administrator', { type: 'restricted', billingAccountId: b1 });
    // Seed 004: an accountant manages billing, not servers.
    expect(await sendIssue(accountId, 'u-acc', { permissions: ['billing:read', 'vps:read'] })).toEqual(
      refused('forbidden', 'token.permission_exceeds_user', 'permissions[1]'),
    );
    expect(await sendIssue(accountId, 'u-b1', { scope: { type: 'global' } })).toEqual(
      refused('forbidden', 'token.scope_exceeds_user', 'scope'),
    );
    expect(await sendIssue(accountId, 'u-b1', { scope: { type: 'restricted', billingAccountId: b2 } })).toEqual(
      refused('forbidden', 'token.scope_exceeds_user', 'scope'),
    );
    expect(
      await sendIssue(accountId, 'u-acc', { scope: { type: 'restricted', billingAccountId: randomUUID() } }),
    ).toEqual(refused('validation', 'billing_account.not_found', 'scope.billingAccountId'));
    expect(await sendIssue(accountId, 'u-stranger')).toEqual(refused('not_found', 'account.not_found'));
    // Within their rights, both get their token — and the refusals above stored nothing.
    const narrowed = await issue(accountId, 'u-acc', { permissions: ['billing:read'] });
    const restricted = await issue(accountId, 'u-b1', {
      scope: { type: 'restricted', billingAccountId: b1 },
      permissions: ['vps:read'],
    });
    expect((await verify(narrowed.token, restricted.position)).ok).toBe(true);
    const issuedHere = (await store.readAll(0, 1_000_000)).filter(
      (e) => e.type === 'ApiTokenIssued' && e.accountId === accountId,
    );
    expect(issuedHere.map((e) => e.data)).toEqual([
      expect.objectContaining({ userId: 'u-acc' }),
      expect.objectContaining({ userId: 'u-b1' }),
    ]);
  });

  it('an API token cannot mint a token, whatever the gateway let through', async () => {
    const accountId = await accountWith('u1');
    expect(await sendIssue(accountId, 'u1', {}, undefined, 'api_token')).toEqual(
      refused('forbidden', 'token.no_minting'),
    );
  });

  it('revoking someone else’s token takes an owner by the membership service’s word, not the payload’s', async () => {
    const accountId = await accountWith('u1', 'u-admin');
    const issued = await issue(accountId, 'u1');
    // The gateway used to send `asOwner`; a caller claiming it now claims nothing.
    const claimed = await revoke('u-admin', { accountId, tokenId: issued.id, asOwner: true } as RevokeTokenPayload);
    expect(claimed).toEqual(refused('not_found', 'token.not_found'));
    expect(await revocations(issued.id)).toHaveLength(0);
    await members.change(accountId, 'u-admin', { role: 'owner' });
    expect((await revoke('u-admin', { accountId, tokenId: issued.id })).ok).toBe(true);
    expect((await revocations(issued.id)).map((e) => e.data)).toEqual([
      expect.objectContaining({ reason: 'revoked_by_owner', revokedBy: 'u-admin' }),
    ]);
  });

  it('only an owner sets the token policy', async () => {
    const accountId = await accountWith('u-admin');
    const setPolicy = (by: string) =>
      client.send(subjects.token.setPolicy, {
        metadata: metadata(by),
        payload: { accountId, maxLifetimeDays: 30 },
        minPosition: members.position,
      });
    expect(await setPolicy('u-admin')).toEqual(refused('forbidden', 'token.policy_owner_only'));
    expect(await store.readStream(`token-policy-${accountId}`)).toHaveLength(0);
    expect((await setPolicy('u-owner')).ok).toBe(true);
  });

  it('ids in a payload are checked for their shape before anything is read: a validation error names the field', async () => {
    const accountId = await accountWith('u1');
    expect(await revoke('u1', { accountId, tokenId: 'constructor' })).toEqual(
      refused('validation', 'id.invalid', 'tokenId'),
    );
    expect(await revoke('u1', { accountId: '__proto__', tokenId: randomUUID() })).toEqual(
      refused('validation', 'id.invalid', 'accountId'),
    );
    expect(await sendIssue(accountId, 'u 1')).toEqual(refused('validation', 'user_id.invalid', 'userId'));
    expect(await sendIssue(accountId, 'u1', { invitationId: 'inv-1', issuedVia: 'access' })).toEqual(
      refused('validation', 'id.invalid', 'invitationId'),
    );
    const listed = await client.send(subjects.token.list, { payload: { accountId: 'hasOwnProperty' } });
    expect(listed).toEqual(refused('validation', 'id.invalid', 'accountId'));
  });

  describe('a token for an api_token access: one live token per invitation', () => {
    const forAccess = (invitationId: string): Partial<IssueTokenPayload> => ({
      issuedVia: 'access',
      invitationId,
      scope: { type: 'global' },
    });
    /** Every token ever issued to `userId` for the invitation, oldest first, live or not. */
    const generations = async (invitationId: string, userId: string) => {
      const found: { id: string; revoked: boolean }[] = [];
      for (let g = 0; ; g++) {
        const events = await store.readStream(`token-${accessTokenId(invitationId, userId, g)}`);
        if (events.length === 0) return found;
        found.push({
          id: accessTokenId(invitationId, userId, g),
          revoked: events.some((e) => e.type === 'ApiTokenRevoked'),
        });
      }
    };

    it('issuing again (the secret may never have arrived) replaces the previous token', async () => {
      const accountId = await accountWith('u-rec');
      const invitationId = randomUUID();
      const first = await issue(accountId, 'u-rec', forAccess(invitationId));
      const second = await issue(accountId, 'u-rec', forAccess(invitationId));
      expect(await verify(first.token, second.position)).toEqual(invalidToken);
      expect((await verify(second.token, second.position)).ok).toBe(true);
      expect((await revocations(first.id)).map((e) => e.data)).toEqual([
        expect.objectContaining({ reason: 'replaced', revokedBy: 'u-rec' }),
      ]);
      expect(await generations(invitationId, 'u-rec')).toEqual([
        { id: first.id, revoked: true },
        { id: second.id, revoked: false },
      ]);
    });

    it('concurrent issues for one invitation leave exactly one live token', async () => {
      const accountId = await accountWith('u-rec');
      const invitationId = randomUUID();
      const replies = await Promise.all(
        Array.from({ length: 8 }, () => sendIssue(accountId, 'u-rec', forAccess(invitationId))),
      );
      const issued = replies.flatMap((r) => (r.ok ? [r.value] : []));
      for (const reply of replies)
        if (!reply.ok) expect(reply.error).toMatchObject({ kind: 'conflict', code: 'token.issue_contended' });
      secrets.push(...issued.map((t) => t.token));
      expect(issued.length).toBeGreaterThan(0);
      const head = await store.committedHeadPosition();
      const live = [];
      for (const token of issued) if ((await verify(token.token, head)).ok) live.push(token.id);
      expect(live).toHaveLength(1);
      const stored = await generations(invitationId, 'u-rec');
      expect(stored.filter((t) => !t.revoked).map((t) => t.id)).toEqual(live);
      expect(stored.length).toBeGreaterThanOrEqual(issued.length);
    });

    it('a refused issue for the invitation leaves its token alive', async () => {
      const accountId = await accountWith('u-rec');
      const invitationId = randomUUID();
      const first = await issue(accountId, 'u-rec', forAccess(invitationId));
      expect(await sendIssue(accountId, 'u-rec', forAccess(invitationId), undefined, 'api_token')).toEqual(
        refused('forbidden', 'token.no_minting'),
      );
      expect(await revocations(first.id)).toHaveLength(0);
      expect((await verify(first.token, first.position)).ok).toBe(true);
    });

    it('asked for right after the accept, it waits for the membership service to add the member', async () => {
      const accountId = await members.account();
      const invitationId = randomUUID();
      const pending = sendIssue(accountId, 'u-late', forAccess(invitationId));
      // The member joins a moment later, as the reaction to InvitationAccepted does.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await members.join(accountId, 'u-late');
      const reply = await pending;
      if (!reply.ok) throw new Error(reply.error.code);
      secrets.push(reply.value.token);
      expect(reply.value.id).toBe(accessTokenId(invitationId, 'u-late', 0));
    });
  });

  it('a replica started on a store that already holds tokens answers from the whole history, from its first request', async () => {
    const accountId = await accountWith('u1');
    const revokedEarly = await issue(accountId, 'u1');
    // Enough history that catching up takes a while: a replica answering from a partial index
    // would call the late token invalid (401s at every deploy) and the early one still live.
    // (Valid events of a stream no reader here cares about, so only the catching up costs time.)
    const meta = {
      accountId,
      actor: { userId: 'u-owner', via: 'session' as const },
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
    };
    for (let batch = 0; batch < 20; batch++) {
      const filler = Array.from({ length: 1000 }, (_, i) => ({
        id: randomUUID(),
        type: 'TokenPolicyChanged',
        data: { accountId, maxLifetimeDays: 1 + ((batch * 1000 + i) % 3650), changedBy: 'u-owner' },
        metadata: meta,
      }));
      await store.append(`token-policy-${randomUUID()}`, filler, 'any');
    }
    const late = await issue(accountId, 'u1');
    // A transaction elsewhere on the server, begun before the revoke and still running when the
    // replica starts, keeps readers from seeing the revoke: the visible head stops below it.
    const elsewhere = await holdReadersBack(db.sql);
    expect((await revoke('u1', { accountId, tokenId: revokedEarly.id })).ok).toBe(true);

    const transport = new InProcessTransport();
    const replica = await startApp(transport);
    const released = new Promise((resolve) => setTimeout(resolve, 300)).then(() => elsewhere.release());
    try {
      // No minPosition: the gateway has none for a token issued or revoked long ago.
      const fresh = new InProcessRequestClient(transport);
      // The early token is read, its revoke (20 000 events later) not yet: it must not pass.
      expect(await replica.get(TokenIndex).waitFor(revokedEarly.position, 5_000)).toBe(true);
      const [lateReply, revokedReply] = await Promise.all([
        verify(late.token, undefined, fresh),
        verify(revokedEarly.token, undefined, fresh),
      ]);
      expect({ late: lateReply.ok, revokedEarly: revokedReply }).toEqual({ late: true, revokedEarly: invalidToken });
    } finally {
      await released;
      await replica.close();
    }
  }, 30_000);

  it('no stored event and no log line holds any secret issued above', async () => {
    expect(secrets.length).toBeGreaterThan(30);
    expect(logger.lines.length).toBeGreaterThan(0);
    const events = JSON.stringify(await store.readAll(0, 100_000));
    const logs = logger.lines.join('\n');
    for (const secret of secrets) {
      expect(events).not.toContain(secret);
      expect(logs).not.toContain(secret);
      // The body alone would be as good as the whole secret.
      expect(events).not.toContain(secret.slice(8));
    }
  });
});
