import { NestFactory } from '@nestjs/core';
import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  subjects,
  type CommandRequest,
  type CommandResult,
  type EventEnvelope,
  type IssueTokenPayload,
  type MemberRemovedData,
  type QueryRequest,
  type RevokeTokenPayload,
  type TokenIssuedResult,
  type TokenView,
  type VerifiedToken,
} from '@accord/contracts';
import { createEventStore, type EventStore, type SqlClient } from '@accord/eventstore';
import { InProcessRequestClient, InProcessTransport, StoreEventConsumer } from '@accord/messaging';
import { ServicesRootModule } from '@accord/runtime';
import { createTestDatabase, eventually } from '@accord/testing';
import { LastUsedRecorder } from './last-used.recorder';
import { MemberGoneReactor } from './member-gone.reactor';
import { TokenIndex } from './token-index';
import { TokenServiceModule } from './token-service.module';

/** Every line Nest or the service logs, to prove no secret is ever written to a log. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private capture = (...parts: unknown[]) => void this.lines.push(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  log = this.capture;
  error = this.capture;
  warn = this.capture;
  debug = this.capture;
  verbose = this.capture;
  fatal = this.capture;
}

// The token lifecycle on the real PostgreSQL, through the request/reply handlers the gateway uses:
// revocation (by hand and when the member goes), expiry, last use, and where the secret never goes.
describe('token lifecycle (real PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: EventStore;
  let app: INestMicroservice;
  let client: InProcessRequestClient;
  const logger = new CapturingLogger();
  const secrets: string[] = [];

  const startApp = async (transport: InProcessTransport) => {
    const service = await NestFactory.createMicroservice(
      ServicesRootModule.forRoot({ store, sql: db.sql, consumer: new StoreEventConsumer({ store, sql: db.sql }) }, [TokenServiceModule.forRoot({ lastUsedFlushMs: 60_000 })]),
      { strategy: transport, logger },
    );
    await service.listen();
    return service;
  };

  beforeAll(async () => {
    db = await createTestDatabase('accord_token_life');
    store = await createEventStore(db.sql);
    const transport = new InProcessTransport();
    app = await startApp(transport);
    client = new InProcessRequestClient(transport);
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await db?.drop();
  });

  const metadata = (userId: string, now = new Date().toISOString()) => ({ actor: { userId, via: 'session' as const }, now, correlationId: randomUUID() });
  const issue = async (accountId: string, userId: string, over: Partial<IssueTokenPayload> = {}, now?: string) => {
    const request: CommandRequest<IssueTokenPayload> = {
      metadata: metadata(userId, now),
      payload: { accountId, userId, email: `${userId}@example.com`, name: 'CI', ...over },
    };
    const reply = await client.send<CommandRequest<IssueTokenPayload>, TokenIssuedResult>(subjects.token.issue, request);
    if (!reply.ok) throw new Error(reply.error.code);
    secrets.push(reply.value.token);
    return reply.value;
  };
  const revoke = (by: string, payload: RevokeTokenPayload) =>
    client.send<CommandRequest<RevokeTokenPayload>, CommandResult>(subjects.token.revoke, { metadata: metadata(by), payload });
  const verify = (token: string, minPosition?: number, via = client) =>
    via.send<QueryRequest<{ token: string }>, VerifiedToken>(subjects.token.verify, { payload: { token }, ...(minPosition ? { minPosition } : {}) });
  const list = (accountId: string, minPosition?: number) =>
    client.send<QueryRequest<{ accountId: string }>, TokenView[]>(subjects.token.list, { payload: { accountId }, ...(minPosition ? { minPosition } : {}) });
  const invalidToken = { ok: false, error: expect.objectContaining({ kind: 'unauthenticated', code: 'token.invalid' }) };
  const memberRemoved = async (accountId: string, userId: string) => {
    const data: MemberRemovedData = { accountId, userId, email: `${userId}@example.com`, removedBy: 'u-owner' };
    const event = { id: randomUUID(), type: 'MemberRemoved', data, metadata: { accountId, actor: { userId: 'u-owner', via: 'session' as const }, correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString() } };
    await store.append(`account-${accountId}`, [event], 'any');
    return event.id;
  };
  const revocations = async (tokenId: string) => (await store.readStream(`token-${tokenId}`)).filter((e) => e.type === 'ApiTokenRevoked');

  it('a revoked token fails on the very next verification that passes the revoke’s position, every time', async () => {
    const accountId = randomUUID();
    for (let i = 0; i < 20; i++) {
      const issued = await issue(accountId, 'u1');
      expect(await verify(issued.token, issued.position)).toMatchObject({ ok: true, value: { tokenId: issued.id, userId: 'u1', accountId } });
      const revoked = await revoke('u1', { accountId, tokenId: issued.id, asOwner: false });
      if (!revoked.ok) throw new Error(revoked.error.code);
      expect(await verify(issued.token, revoked.value.position)).toEqual(invalidToken);
    }
  });

  it('an expired token fails; one that expires later still works', async () => {
    const accountId = randomUUID();
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    // Issued an hour ago to expire a minute ago: the expiry is checked at verification time.
    const expired = await issue(accountId, 'u1', { expiresAt: new Date(Date.now() - 60_000).toISOString() }, anHourAgo);
    const live = await issue(accountId, 'u1', { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(await verify(expired.token, live.position)).toEqual(invalidToken);
    expect((await verify(live.token, live.position)).ok).toBe(true);
  });

  it('unknown, tampered and garbage tokens get the one same answer', async () => {
    const issued = await issue(randomUUID(), 'u1');
    const tampered = issued.token.slice(0, -1) + (issued.token.endsWith('a') ? 'b' : 'a');
    for (const bad of [tampered, 'acc_' + '0'.repeat(49), 'not a token', '']) expect(await verify(bad, issued.position)).toEqual(invalidToken);
  });

  it('an owner of another account cannot revoke this account’s token: not found, and it keeps working', async () => {
    const accountId = randomUUID();
    const issued = await issue(accountId, 'u1');
    const foreign = await revoke('u-other-owner', { accountId: randomUUID(), tokenId: issued.id, asOwner: true });
    expect(foreign).toEqual({ ok: false, error: expect.objectContaining({ kind: 'not_found', code: 'token.not_found' }) });
    expect(await revocations(issued.id)).toHaveLength(0);
    // Its own account's owner can.
    const owner = await revoke('u-owner', { accountId, tokenId: issued.id, asOwner: true });
    expect(owner.ok).toBe(true);
    expect((await revocations(issued.id)).map((e) => e.data)).toEqual([expect.objectContaining({ reason: 'revoked_by_owner', revokedBy: 'u-owner' })]);
  });

  it('MemberRemoved revokes every token of that member in that account, and only those', async () => {
    const accountId = randomUUID();
    const elsewhere = randomUUID();
    const [first, second] = [await issue(accountId, 'u-mike'), await issue(accountId, 'u-mike')];
    const colleague = await issue(accountId, 'u-ann');
    const otherAccount = await issue(elsewhere, 'u-mike');
    await memberRemoved(accountId, 'u-mike');

    for (const token of [first, second]) {
      const events = await eventually(() => revocations(token.id), (found) => found.length > 0);
      expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ reason: 'member_removed', revokedBy: 'u-owner', userId: 'u-mike' })]);
      expect(await verify(token.token, events[0]!.globalPosition)).toEqual(invalidToken);
    }
    const head = await store.headPosition();
    for (const token of [colleague, otherAccount]) {
      expect(await revocations(token.id)).toHaveLength(0);
      expect((await verify(token.token, head)).ok).toBe(true);
    }
  });

  it('a redelivered removal or a MemberLeft after it appends nothing more', async () => {
    const accountId = randomUUID();
    const issued = await issue(accountId, 'u-mike');
    const causeId = await memberRemoved(accountId, 'u-mike');
    await eventually(() => revocations(issued.id), (found) => found.length > 0);
    const [cause] = (await store.readStream(`account-${accountId}`)).filter((e) => e.id === causeId);
    // At-least-once delivery: the same event handed to the reaction again.
    const reactor = app.get(MemberGoneReactor);
    await reactor.react(cause!);
    await reactor.react({ ...cause!, id: randomUUID(), type: 'MemberLeft' } as EventEnvelope);
    expect(await revocations(issued.id)).toHaveLength(1);
  });

  it('MemberLeft revokes with reason member_left', async () => {
    const accountId = randomUUID();
    const issued = await issue(accountId, 'u-leaver');
    const data = { accountId, userId: 'u-leaver', email: 'u-leaver@example.com' };
    await store.append(`account-${accountId}`, [{ id: randomUUID(), type: 'MemberLeft', data, metadata: { accountId, actor: { userId: 'u-leaver', via: 'session' }, correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString() } }], 'any');
    const events = await eventually(() => revocations(issued.id), (found) => found.length > 0);
    expect(events[0]!.data).toMatchObject({ reason: 'member_left', revokedBy: 'u-leaver' });
  });

  it('last use is batched: listed at once, written by the flush, never moved backwards, and no event per use', async () => {
    const accountId = randomUUID();
    const issued = await issue(accountId, 'u1');
    const never = await issue(accountId, 'u1', { name: 'unused' });
    const headBefore = await store.headPosition();
    for (let i = 0; i < 1000; i++) expect((await verify(issued.token)).ok).toBe(true);
    expect(await store.headPosition()).toBe(headBefore);

    // Before the flush the list merges the time held in memory.
    const beforeFlush = await list(accountId, never.position);
    if (!beforeFlush.ok) throw new Error(beforeFlush.error.code);
    const lastUsed = beforeFlush.value.find((t) => t.id === issued.id)!.lastUsedAt;
    expect(lastUsed).not.toBeNull();
    expect(beforeFlush.value.find((t) => t.id === never.id)!.lastUsedAt).toBeNull();

    const recorder = app.get(LastUsedRecorder);
    await recorder.flush();
    const stored = await db.sql.query<{ last_used_at: Date }>(`SELECT last_used_at FROM token_last_used WHERE token_id = $1`, [issued.id]);
    expect(stored.rows.map((r) => r.last_used_at.toISOString())).toEqual([lastUsed]);

    // Another replica's older batch lands late: the time stays.
    recorder.record(issued.id, new Date(Date.parse(lastUsed!) - 60_000).toISOString());
    await recorder.flush();
    const afterFlush = await list(accountId);
    if (!afterFlush.ok) throw new Error(afterFlush.error.code);
    expect(afterFlush.value.find((t) => t.id === issued.id)).toMatchObject({ lastUsedAt: lastUsed, prefix: issued.token.slice(0, 8), name: 'CI', revoked: false });
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
    const stored = await db.sql.query<{ last_used_at: Date }>(`SELECT last_used_at FROM token_last_used WHERE token_id = $1`, [tokenId]);
    expect(stored.rows.map((r) => r.last_used_at.toISOString())).toEqual([at]);
    expect(recorder.unflushed(tokenId)).toBeUndefined();
  });

  it('a replica started on a store that already holds tokens answers from the whole history, from its first request', async () => {
    const accountId = randomUUID();
    const revokedEarly = await issue(accountId, 'u1');
    // Enough history that catching up takes a while: a replica answering from a partial index
    // would call the late token invalid (401s at every deploy) and the early one still live.
    const meta = { accountId, actor: { userId: 'u-owner', via: 'session' as const }, correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString() };
    for (let batch = 0; batch < 20; batch++) {
      const filler = Array.from({ length: 1000 }, (_, i) => ({ id: randomUUID(), type: 'AccountDisplayNameChanged', data: { accountId, displayName: `n${batch}-${i}` }, metadata: meta }));
      await store.append(`account-${accountId}`, filler, 'any');
    }
    const late = await issue(accountId, 'u1');
    expect((await revoke('u1', { accountId, tokenId: revokedEarly.id, asOwner: false })).ok).toBe(true);

    const transport = new InProcessTransport();
    const replica = await startApp(transport);
    try {
      // No minPosition: the gateway has none for a token issued or revoked long ago.
      const fresh = new InProcessRequestClient(transport);
      // The early token is read, its revoke (20 000 events later) not yet: it must not pass.
      expect(await replica.get(TokenIndex).waitFor(revokedEarly.position, 5_000)).toBe(true);
      const [lateReply, revokedReply] = await Promise.all([verify(late.token, undefined, fresh), verify(revokedEarly.token, undefined, fresh)]);
      expect({ late: lateReply.ok, revokedEarly: revokedReply }).toEqual({ late: true, revokedEarly: invalidToken });
    } finally {
      await replica.close();
    }
  });

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
