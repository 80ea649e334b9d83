import type { InvitationEvent, InvitationLink, Person } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accessDecider, type AccessCommand, type ActorRights } from './access';

// MEM-23, MEM-24 in the invitation context: a closed account's invitations are revoked, and it
// takes no more shares, resends or accepts (the membership service says it is closed).
const given = deciderSpec(accessDecider);
const now = '2026-11-22T10:00:00.000Z';
const in72h = '2026-11-25T10:00:00.000Z';
const link = (n: string): InvitationLink => ({ nonce: `nonce-${n}`, tokenHash: `hash-${n}` });
const mike: Person = { userId: 'u-mike', email: 'mike@example.com', emailVerified: true };
const stranger: Person = { userId: 'u-eve', email: 'eve@example.com', emailVerified: true };
const closedOwner: ActorRights = { member: true, owner: true, accountClosed: true };
const formerMember: ActorRights = { member: false, owner: false, accountClosed: true };
const owners: ReadonlySet<string> = new Set(['u-root']);

const shared: InvitationEvent = {
  type: 'AccessShared',
  data: {
    accessId: 'a1',
    accountId: 'acc1',
    name: 'Ops',
    type: 'delegate',
    scope: { type: 'global' },
    role: 'administrator',
    recipients: [
      { invitationId: 'i1', email: 'mike@example.com', link: link('1') },
      { invitationId: 'i2', email: 'ann@example.com', link: link('2') },
      { invitationId: 'i3', email: 'bob@example.com', link: link('3') },
    ],
    message: null,
    sharedBy: 'u-root',
    sharedAt: now,
    expiresAt: in72h,
  },
};
const ref = (invitationId: string, email: string) => ({ accessId: 'a1', accountId: 'acc1', invitationId, email });
const annAccepted: InvitationEvent = {
  type: 'InvitationAccepted',
  data: { ...ref('i2', 'ann@example.com'), userId: 'u-ann', role: 'administrator', scope: { type: 'global' } },
};
const bobExpired: InvitationEvent = {
  type: 'InvitationExpired',
  data: { ...ref('i3', 'bob@example.com'), expiredAt: in72h },
};
const revokedByClosing = (invitationId: string, email: string): InvitationEvent => ({
  type: 'InvitationRevoked',
  data: { ...ref(invitationId, email), revokedBy: 'u-root', reason: 'account_closed' },
});
const closeAccount: AccessCommand = {
  type: 'RevokeInvitationsOfClosedAccount',
  data: { accountId: 'acc1', closedBy: 'u-root' },
};

describe('RevokeInvitationsOfClosedAccount (MEM-23)', () => {
  it('revokes every pending and expired invitation of the closed account, by the root owner', () =>
    given([shared, annAccepted, bobExpired])
      .when(closeAccount)
      .then([revokedByClosing('i1', 'mike@example.com'), revokedByClosing('i3', 'bob@example.com')]));
  it('a redelivered closing revokes nothing twice', () =>
    given([
      shared,
      annAccepted,
      bobExpired,
      revokedByClosing('i1', 'mike@example.com'),
      revokedByClosing('i3', 'bob@example.com'),
    ])
      .when(closeAccount)
      .thenNothing());
  it('an account that shared nothing has nothing to revoke', () => given([]).when(closeAccount).thenNothing());
});

describe('A closed account takes no invitation command (MEM-24)', () => {
  it('a share in a closed account is refused as gone', () =>
    given([])
      .when({
        type: 'ShareAccess',
        data: {
          accessId: 'a2',
          accountId: 'acc1',
          name: 'Late',
          accessType: 'delegate',
          scope: { type: 'global' },
          role: 'accountant',
          recipients: [{ invitationId: 'i9', email: 'zed@example.com', link: link('9') }],
          message: null,
          sharedBy: 'u-root',
          sharer: closedOwner,
          billingAccountIds: [],
          memberEmails: [],
          dailyLimit: 500,
          now,
        },
      })
      .thenThrows('gone', 'account.closed'));
  it('a resend in a closed account is refused as gone', () =>
    given([shared])
      .when({
        type: 'ResendInvitation',
        data: { invitationId: 'i1', link: link('x'), resentBy: 'u-root', resender: closedOwner, now },
      })
      .thenThrows('gone', 'account.closed'));
  it('a former member of a closed account learns nothing: not found', () =>
    given([shared])
      .when({ type: 'RevokeInvitation', data: { invitationId: 'i1', revokedBy: 'u-olga', revoker: formerMember, now } })
      .thenThrows('not_found', 'account.not_found'));
  it('accepting an invitation of a closed account is refused as gone, also once it was revoked', () => {
    const accept = (person: Person): AccessCommand => ({
      type: 'AcceptInvitation',
      data: { invitationId: 'i1', person, owners, now, accountClosed: true },
    });
    given([shared]).when(accept(mike)).thenThrows('gone', 'account.closed');
    given([shared, revokedByClosing('i1', 'mike@example.com')])
      .when(accept(mike))
      .thenThrows('gone', 'account.closed');
    // Someone else's invitation stays "not found": ids are no oracle.
    given([shared]).when(accept(stranger)).thenThrows('not_found', 'invitation.not_found');
  });
  it('accepting by the link of a closed account is refused as gone to its addressee only', () => {
    const byToken = (person: Person): AccessCommand => ({
      type: 'AcceptByToken',
      data: { tokenHash: 'hash-1', person, owners, now, accountClosed: true },
    });
    given([shared, revokedByClosing('i1', 'mike@example.com')])
      .when(byToken(mike))
      .thenThrows('gone', 'account.closed');
    given([shared, revokedByClosing('i1', 'mike@example.com')])
      .when(byToken(stranger))
      .thenThrows('not_found', 'invitation.link_invalid');
  });
});
