import { randomUUID } from 'node:crypto';
import { streams, type CommandMetadata, type EventEnvelope } from '@accord/contracts';
import { createEventStore, type EventStore } from '@accord/eventstore';
import { createTestDatabase } from '@accord/testing';
import { MembershipCommands } from '../membership.commands';
import { AccessHistoryMessageController } from './access-history.message-controller';

// The access-history responder against the real PostgreSQL event store: the account's stream as
// the membership commands stored it, asked at instants before, during and after a grant.

describe('access history responder (real PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: EventStore;
  let commands: MembershipCommands;
  let responder: AccessHistoryMessageController;

  beforeAll(async () => {
    db = await createTestDatabase('accord_access_history');
    store = await createEventStore(db.sql);
    commands = new MembershipCommands(store);
    responder = new AccessHistoryMessageController(store);
  }, 30_000);
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const at = (minute: number): string => new Date(Date.UTC(2030, 0, 1, 9, minute)).toISOString();
  const as = (userId: string, minute: number): CommandMetadata => ({
    actor: { userId, via: 'session' },
    now: at(minute),
    correlationId: randomUUID(),
  });

  it('answers from the stored stream, naming the stored events, and 404s for an unknown account', async () => {
    const root = `auth0|${randomUUID()}`;
    const mike = `auth0|${randomUUID()}`;
    const { id: accountId } = await commands.createAccount(
      { name: 'Acme', owner: { userId: root, email: 'olivia@example.com' } },
      as(root, 0),
    );
    await commands.addMember(
      {
        accountId,
        userId: mike,
        email: 'mike@example.com',
        role: 'accountant',
        scope: { type: 'global' },
        accessId: randomUUID(),
        invitationId: randomUUID(),
      },
      as(mike, 10),
    );
    await commands.changeMember({ accountId, userId: mike, role: 'administrator' }, as(root, 20));
    await commands.removeMember({ accountId, userId: mike }, as(root, 30));
    const stored = await store.readStream(streams.account(accountId));
    const byType = (type: string): EventEnvelope => stored.find((e) => e.type === type)!;
    const ask = async (minute: number, permission = 'vps:manage') => {
      const reply = await responder.accessHistory({ payload: { accountId, userId: mike, permission, at: at(minute) } });
      if (!reply.ok) throw new Error(reply.error.message);
      return { ...reply.value, grants: reply.value.grants.map((g) => [g.eventId, g.what]) };
    };

    expect(await ask(5)).toMatchObject({ allowed: false, reason: 'not a member of this account', grants: [] });
    expect(await ask(15)).toMatchObject({ allowed: false, reason: 'no vps:manage', role: 'accountant', grants: [] });
    expect(await ask(15, 'billing:manage')).toMatchObject({
      allowed: true,
      reason: 'role accountant',
      grants: [[byType('MemberJoined').id, 'role accountant']],
    });
    expect(await ask(20)).toMatchObject({
      allowed: true,
      reason: 'role administrator',
      grants: [[byType('RoleChanged').id, 'role administrator']],
    });
    expect(await ask(30)).toMatchObject({
      allowed: false,
      reason: 'not a member of this account',
      grants: [[byType('MemberRemoved').id, 'removed from the account']],
    });

    const unknown = await responder.accessHistory({
      payload: { accountId: randomUUID(), userId: mike, permission: 'vps:manage', at: at(15) },
    });
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'not_found', code: 'account.not_found' } });
  });
});
