import { randomUUID } from 'node:crypto';
import { streams, type CommandMetadata, type GrantFacts, type Reply } from '@accord/contracts';
import { createEventStore, type EventStore } from '@accord/eventstore';
import { createTestDatabase } from '@accord/testing';
import { AuthzIndex } from './authz/authz-index';
import { MembershipCommands } from './membership.commands';
import { MembershipMessageController } from './membership.message-controller';

// Issue 8 rule 10: the `subjects.membership.grantFacts` responder over the real PostgreSQL store and
// the in-memory authorization index it answers from; and rule 1/edge: user ids from payloads are
// checked before anything is read.

describe('membership grant facts responder (real PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: EventStore;
  let commands: MembershipCommands;
  let index: AuthzIndex;
  let controller: MembershipMessageController;

  beforeAll(async () => {
    db = await createTestDatabase('accord_grant_facts');
    store = await createEventStore(db.sql);
    commands = new MembershipCommands(store);
    index = new AuthzIndex(store);
    index.onApplicationBootstrap();
    // Only the index is used by the responders under test.
    controller = new MembershipMessageController(commands, null as never, null as never, index);
  }, 30_000);
  afterAll(async () => {
    await index?.onApplicationShutdown();
    await store?.close();
    await db?.drop();
  });

  const as = (userId: string): CommandMetadata => ({
    actor: { userId, via: 'session' },
    now: new Date().toISOString(),
    correlationId: randomUUID(),
  });
  const value = <T>(reply: Reply<T>): T => {
    if (!reply.ok) throw new Error(`${reply.error.kind} ${reply.error.code}`);
    return reply.value;
  };

  it('answers a member who just joined (minPosition), with held[i] per permission', async () => {
    const { id: accountId } = await commands.createAccount(
      { name: 'Acme', owner: { userId: 'auth0|root', email: 'root@x.io' } },
      as('auth0|root'),
    );
    const { position } = await commands.addMember(
      {
        accountId,
        userId: 'google-oauth2|1087',
        email: 'm@x.io',
        role: 'accountant',
        scope: { type: 'global' },
        accessId: randomUUID(),
        invitationId: randomUUID(),
      },
      as('google-oauth2|1087'),
    );
    const facts: GrantFacts = value(
      await controller.grantFacts({
        payload: {
          accountId,
          userId: 'google-oauth2|1087',
          permissions: ['billing:manage', 'vps:read', 'users:manage'],
        },
        minPosition: position,
      }),
    );
    expect(facts).toEqual({
      member: true,
      role: 'accountant',
      owner: false,
      rootOwner: false,
      scope: { type: 'global' },
      billingAccountIds: [],
      held: [true, false, false],
    });
  });

  it('finds the owner right after the account is created, without minPosition', async () => {
    const { id: accountId } = await commands.createAccount(
      { name: 'Lag', owner: { userId: 'root-2', email: 'root2@x.io' } },
      as('root-2'),
    );
    const facts = value(await controller.grantFacts({ payload: { accountId, userId: 'root-2' } }));
    expect(facts).toMatchObject({ member: true, owner: true, rootOwner: true });
  });

  it('a stranger is not a member', async () => {
    const { id: accountId, position } = await commands.createAccount(
      { name: 'Solo', owner: { userId: 'root-3', email: 'root3@x.io' } },
      as('root-3'),
    );
    expect(
      value(
        await controller.grantFacts({
          payload: { accountId, userId: 'constructor', permissions: ['vps:read'] },
          minPosition: position,
        }),
      ),
    ).toMatchObject({
      member: false,
      held: [false],
    });
  });

  it('a malformed user id is a validation error, before anything is read', async () => {
    const reply = await controller.grantFacts({ payload: { accountId: randomUUID(), userId: 'has space' } });
    expect(reply).toMatchObject({ ok: false, error: { kind: 'validation', code: 'user.id_invalid', field: 'userId' } });
  });

  it('commands refuse a malformed user id and store nothing; "constructor" is simply not a member', async () => {
    const { id: accountId } = await commands.createAccount(
      { name: 'Hostile', owner: { userId: 'root-4', email: 'root4@x.io' } },
      as('root-4'),
    );
    const before = (await store.readStream(streams.account(accountId))).length;
    for (const userId of ['a/b', '', ' ', 42]) {
      await expect(commands.removeMember({ accountId, userId: userId as string }, as('root-4'))).rejects.toMatchObject({
        kind: 'validation',
        code: 'user.id_invalid',
      });
      await expect(
        commands.changeMember({ accountId, userId: userId as string, role: 'owner' }, as('root-4')),
      ).rejects.toMatchObject({ code: 'user.id_invalid' });
      await expect(
        commands.transferOwnership({ accountId, userId: userId as string }, as('root-4')),
      ).rejects.toMatchObject({ code: 'user.id_invalid' });
    }
    await expect(commands.removeMember({ accountId, userId: 'constructor' }, as('root-4'))).rejects.toMatchObject({
      kind: 'not_found',
      code: 'member.not_found',
    });
    expect(await store.readStream(streams.account(accountId))).toHaveLength(before);
  });

  it('the authorization check refuses a malformed user id', async () => {
    const reply = await controller.check({
      payload: { accountId: randomUUID(), userId: 'a\nb', permission: 'vps:read' },
    });
    expect(reply).toMatchObject({ ok: false, error: { kind: 'validation', code: 'user.id_invalid' } });
  });
});
