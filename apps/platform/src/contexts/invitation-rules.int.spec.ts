import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  subjects,
  type CommandRequest,
  type CommandResult,
  type CommandSubject,
  type PayloadOf,
  type ResultOf,
  type InvitationAdminPayload,
  type Person,
  type Reply,
  type ShareAccessPayload,
} from '@accord/contracts';
import { createEventStore, type EventStore } from '@accord/eventstore';
// The invitation service asks the membership service for facts; this spec runs the real one beside
// it, as the platform composes them, so every fact comes from real events (no mock port).
import { MembershipServiceModule } from '@accord/membership-service';
import { InProcessRequestClient, InProcessTransport, StoreEventConsumer, type RequestClient } from '@accord/messaging';
import { ServicesRootModule } from '@accord/service-kit';
import { createTestDatabase, eventually } from '@accord/testing';
import { InvitationServiceModule } from '@accord/invitation-service';

/** The commands this spec sends: all of them answer a store position. */
type ServiceCommand = Extract<CommandSubject, `accord.cmd.membership.${string}` | `accord.cmd.invitation.${string}`>;

// Issue 8 rules 7, 8 and 10 through the invitation service's request/reply handlers, with the real
// membership service answering `grantFacts` on the real PostgreSQL.
describe('invitation rules the service enforces itself (real PostgreSQL, real membership service)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: EventStore;
  let membershipApp: INestMicroservice;
  let membership: RequestClient;
  let app: INestMicroservice;
  let invitations: InProcessRequestClient;
  let position = 0;

  beforeAll(async () => {
    db = await createTestDatabase('accord_invitation_rules');
    store = await createEventStore(db.sql);
    const membershipTransport = new InProcessTransport();
    membership = new InProcessRequestClient(membershipTransport);
    const consumer = () => new StoreEventConsumer({ store, sql: db.sql });
    membershipApp = await NestFactory.createMicroservice(
      ServicesRootModule.forRoot({ store, sql: db.sql, consumer: consumer(), requests: membership }, [
        MembershipServiceModule,
      ]),
      {
        strategy: membershipTransport,
        logger: false,
      },
    );
    await membershipApp.listen();
    const transport = new InProcessTransport();
    app = await NestFactory.createMicroservice(
      ServicesRootModule.forRoot({ store, sql: db.sql, consumer: consumer(), requests: membership }, [
        InvitationServiceModule.forRoot({ linkKey: 'k'.repeat(32) }),
      ]),
      { strategy: transport, logger: false },
    );
    await app.listen();
    invitations = new InProcessRequestClient(transport);
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await membershipApp?.close();
    await store?.close();
    await db?.drop();
  });

  const send = async <S extends ServiceCommand>(
    client: RequestClient,
    subject: S,
    payload: PayloadOf<S>,
    userId: string,
  ): Promise<Reply<ResultOf<S>>> => {
    const request: CommandRequest<PayloadOf<S>> = {
      metadata: { actor: { userId, via: 'session' }, now: new Date().toISOString(), correlationId: randomUUID() },
      payload,
      minPosition: position,
    };
    const reply = await client.send(subject, request);
    if (reply.ok) position = Math.max(position, reply.value.position);
    return reply;
  };
  const done = async <R extends CommandResult>(reply: Promise<Reply<R>>): Promise<R> => {
    const settled = await reply;
    if (!settled.ok) throw new Error(`${settled.error.kind} ${settled.error.code}`);
    return settled.value;
  };
  const account = async (ownerId: string) =>
    (
      await done(
        send(
          membership,
          subjects.membership.createAccount,
          { name: 'Acme', owner: { userId: ownerId, email: `${ownerId}@example.com` } },
          ownerId,
        ),
      )
    ).id;
  const billingAccount = async (accountId: string, by: string) =>
    (await done(send(membership, subjects.membership.createBillingAccount, { accountId, name: 'EU' }, by))).id;
  const join = (accountId: string, userId: string) =>
    done(
      send(
        membership,
        subjects.membership.addMember,
        {
          accountId,
          userId,
          email: `${userId}@example.com`,
          role: 'administrator',
          scope: { type: 'global' },
          accessId: randomUUID(),
          invitationId: randomUUID(),
        },
        'system',
      ),
    );
  const changeRole = (accountId: string, userId: string, role: string, by: string) =>
    done(send(membership, subjects.membership.changeMember, { accountId, userId, role }, by));
  const share = (by: string, payload: Partial<ShareAccessPayload> & { accountId: string }) =>
    send(
      invitations,
      subjects.invitation.shareAccess,
      {
        name: 'Ops',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        recipients: ['ann@example.com'],
        ...payload,
      },
      by,
    );
  const person = (userId: string, email: string): Person => ({ userId, email, emailVerified: true });
  const accept = (invitationId: string, who: Person) =>
    send(invitations, subjects.invitation.acceptInvitation, { invitationId, person: who }, who.userId);
  const refused = (kind: string, code: string) => ({ ok: false, error: expect.objectContaining({ kind, code }) });

  it('only an owner shares: a member is forbidden, a stranger learns nothing (the gateway is not trusted)', async () => {
    const accountId = await account('u-root-1');
    await join(accountId, 'u-admin-1');
    expect(await share('u-admin-1', { accountId })).toEqual(refused('forbidden', 'users.owner_only'));
    expect(await share('u-stranger', { accountId })).toEqual(refused('not_found', 'account.not_found'));
    expect((await share('u-root-1', { accountId })).ok).toBe(true);
  });

  it('only an owner revokes or resends', async () => {
    const accountId = await account('u-root-2');
    await join(accountId, 'u-admin-2');
    const shared = await done(share('u-root-2', { accountId }));
    const admin: InvitationAdminPayload = { accountId, invitationId: shared.invitations[0]!.id };
    expect(await send(invitations, subjects.invitation.revokeInvitation, admin, 'u-admin-2')).toEqual(
      refused('forbidden', 'users.owner_only'),
    );
    expect(await send(invitations, subjects.invitation.resendInvitation, admin, 'u-admin-2')).toEqual(
      refused('forbidden', 'users.owner_only'),
    );
  });

  it('a restricted scope names a billing account of this account, and never goes with the owner role', async () => {
    const accountId = await account('u-root-3');
    const billing = await billingAccount(accountId, 'u-root-3');
    const elsewhere = await billingAccount(await account('u-root-3b'), 'u-root-3b');
    expect(await share('u-root-3', { accountId, scope: { type: 'restricted', billingAccountId: elsewhere } })).toEqual(
      refused('validation', 'billing_account.not_found'),
    );
    expect(
      await share('u-root-3', { accountId, role: 'owner', scope: { type: 'restricted', billingAccountId: billing } }),
    ).toEqual(refused('validation', 'access.owner_scope'));
    expect((await share('u-root-3', { accountId, scope: { type: 'restricted', billingAccountId: billing } })).ok).toBe(
      true,
    );
  });

  it('an owner demoted: the owner invitation she sent to her own second address is revoked and cannot be accepted', async () => {
    const accountId = await account('u-root-4');
    await join(accountId, 'u-olga');
    await changeRole(accountId, 'u-olga', 'owner', 'u-root-4');
    const shared = await done(share('u-olga', { accountId, role: 'owner', recipients: ['olga.private@example.com'] }));
    const invitationId = shared.invitations[0]!.id;
    await changeRole(accountId, 'u-olga', 'administrator', 'u-root-4');
    const revoked = await eventually(
      async () => (await store.readStream(`access-${accountId}`)).filter((e) => e.type === 'InvitationRevoked'),
      (found) => found.length > 0,
    );
    expect(revoked.map((e) => e.data)).toEqual([
      expect.objectContaining({ invitationId, reason: 'inviter_lost_rights', revokedBy: 'u-root-4' }),
    ]);
    expect(await accept(invitationId, person('u-olga-2', 'olga.private@example.com'))).toEqual(
      refused('conflict', 'invitation.not_pending'),
    );
  });

  it('re-accepting an accepted API-token access as the same person says again which token to issue', async () => {
    const accountId = await account('u-root-5');
    const shared = await done(share('u-root-5', { accountId, type: 'api_token', recipients: ['tim@example.com'] }));
    const invitationId = shared.invitations[0]!.id;
    const tim = person('u-tim', 'tim@example.com');
    const first = await done(accept(invitationId, tim));
    const again = await done(accept(invitationId, tim));
    const owed = { accessId: shared.id, invitationId, scope: { type: 'global' } };
    expect(first.issueApiToken).toEqual(owed);
    expect(again.issueApiToken).toEqual(owed);
    expect(again.position).toBe(first.position);
  });

  it('an unverified address cannot decline', async () => {
    const accountId = await account('u-root-6');
    const shared = await done(share('u-root-6', { accountId }));
    const reply = await send(
      invitations,
      subjects.invitation.declineInvitation,
      {
        invitationId: shared.invitations[0]!.id,
        person: { ...person('u-ann', 'ann@example.com'), emailVerified: false },
      },
      'u-ann',
    );
    expect(reply).toEqual(refused('forbidden', 'email.unverified'));
  });

  it('ids from a payload are checked before anything is read', async () => {
    for (const invitationId of ['constructor', '__proto__', 'not-a-uuid']) {
      expect(await accept(invitationId, person('u-ann', 'ann@example.com'))).toEqual({
        ok: false,
        error: expect.objectContaining({ kind: 'validation', field: 'invitationId' }),
      });
    }
    expect(await share('u-root-1', { accountId: 'constructor' })).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: 'validation', field: 'accountId' }),
    });
  });
});
