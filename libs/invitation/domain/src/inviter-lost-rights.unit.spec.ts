import type { InvitationEvent, MembershipEvent } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accessDecider, type AccessCommand } from './access';
import { inviterLostRights } from './inviter-lost-rights';

// Rule 7 (issue 8) as a reaction: membership event in, command (or nothing) out.
const account = 'acc1';
const at = '2026-11-23T10:00:00.000Z';
const react = (event: MembershipEvent) => inviterLostRights(event, at);
const revokeAllOf = (inviterId: string, revokedBy: string): AccessCommand => ({
  type: 'RevokeInvitationsOfInviter',
  data: { accountId: account, inviterId, revokedBy, lostRightsAt: at },
});
const roleChanged = (from: string, to: string): MembershipEvent => ({
  type: 'RoleChanged',
  data: { accountId: account, userId: 'u-olga', email: 'olga@example.com', from, to, changedBy: 'u-root' },
});

describe('inviterLostRights (membership event → RevokeInvitationsOfInviter)', () => {
  it('an owner who leaves: everything they sent is revoked, by themselves', () =>
    expect(
      react({ type: 'MemberLeft', data: { accountId: account, userId: 'u-olga', email: 'olga@example.com' } }),
    ).toEqual(revokeAllOf('u-olga', 'u-olga')));

  it('a removed member: everything they sent is revoked, by whoever removed them', () =>
    expect(
      react({
        type: 'MemberRemoved',
        data: { accountId: account, userId: 'u-olga', email: 'olga@example.com', removedBy: 'u-root' },
      }),
    ).toEqual(revokeAllOf('u-olga', 'u-root')));

  it.each(['administrator', 'accountant', 'read-only', 'Auditors'])(
    'an owner demoted to %s: everything they sent is revoked',
    (to) => expect(react(roleChanged('owner', to))).toEqual(revokeAllOf('u-olga', 'u-root')),
  );

  it('owner → owner asks for nothing', () => expect(react(roleChanged('owner', 'owner'))).toBeNull());

  it('administrator → accountant asks for nothing (they could not send invitations)', () =>
    expect(react(roleChanged('administrator', 'accountant'))).toBeNull());

  it('becoming an owner asks for nothing', () => expect(react(roleChanged('administrator', 'owner'))).toBeNull());

  it('other membership events ask for nothing', () =>
    expect(
      react({ type: 'OwnershipTransferred', data: { accountId: account, from: 'u-root', to: 'u-olga' } }),
    ).toBeNull());
});

describe('the exploit rule 7 closes: invite a second address of your own as owner, leave, come back', () => {
  const given = deciderSpec(accessDecider);
  const sharedAt = '2026-11-22T10:00:00.000Z';
  const ownerShare: InvitationEvent = {
    type: 'AccessShared',
    data: {
      accessId: 'a1',
      accountId: account,
      name: 'me again',
      type: 'delegate',
      scope: { type: 'global' },
      role: 'owner',
      recipients: [{ invitationId: 'i1', email: 'olga.private@example.com', link: { nonce: 'n1', tokenHash: 'h1' } }],
      message: null,
      sharedBy: 'u-olga',
      sharedAt,
      expiresAt: '2026-11-25T10:00:00.000Z',
    },
  };
  const ref = { accessId: 'a1', accountId: account, invitationId: 'i1', email: 'olga.private@example.com' };
  const revoked: InvitationEvent = {
    type: 'InvitationRevoked',
    data: { ...ref, revokedBy: 'u-olga', reason: 'inviter_lost_rights' },
  };
  const olgaAgain = { userId: 'u-olga-2', email: 'olga.private@example.com', emailVerified: true };
  const left = inviterLostRights(
    { type: 'MemberLeft', data: { accountId: account, userId: 'u-olga', email: 'olga@example.com' } },
    at,
  )!;

  it('leaving revokes the owner invitation she sent herself', () => given([ownerShare]).when(left).then([revoked]));

  it('so the second address cannot accept it afterwards', () =>
    given([ownerShare, revoked])
      .when({ type: 'AcceptInvitation', data: { invitationId: 'i1', person: olgaAgain, owners: new Set(), now: at } })
      .thenThrows('conflict', 'invitation.not_pending'));

  it('nor in the window before the reaction ran: she is no longer an owner when it is accepted', () =>
    given([ownerShare])
      .when({
        type: 'AcceptInvitation',
        data: { invitationId: 'i1', person: olgaAgain, owners: new Set(), now: sharedAt },
      })
      .thenThrows('conflict', 'invitation.inviter_lost_rights'));
});
