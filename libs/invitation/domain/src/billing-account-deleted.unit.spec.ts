import type { InvitationEvent, InvitationLink } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accessDecider, type AccessCommand } from './access';

// MEM-26 in the invitation context: once a billing account is deleted, no invitation of an access
// restricted to it can be accepted (it would make nobody a member), and the access takes no one new.
const given = deciderSpec(accessDecider);
const now = '2026-11-22T10:00:00.000Z';
const in72h = '2026-11-25T10:00:00.000Z';
const later = '2026-11-23T10:00:00.000Z';
const billing = { deleted: 'b-deleted', kept: 'b-kept' };
const link = (n: string): InvitationLink => ({ nonce: `nonce-${n}`, tokenHash: `hash-${n}` });

const shared = (
  accessId: string,
  scope: { type: 'global' } | { type: 'restricted'; billingAccountId: string },
  recipients: Array<[string, string]>,
): InvitationEvent => ({
  type: 'AccessShared',
  data: {
    accessId,
    accountId: 'acc1',
    name: accessId,
    type: 'delegate',
    scope,
    role: 'administrator',
    recipients: recipients.map(([invitationId, email]) => ({ invitationId, email, link: link(invitationId) })),
    message: null,
    sharedBy: 'u-root',
    sharedAt: now,
    expiresAt: in72h,
  },
});
const ref = (accessId: string, invitationId: string, email: string) => ({
  accessId,
  accountId: 'acc1',
  invitationId,
  email,
});
const restricted = shared('a-restricted', { type: 'restricted', billingAccountId: billing.deleted }, [
  ['i1', 'mike@example.com'],
  ['i2', 'ann@example.com'],
  ['i3', 'bob@example.com'],
]);
const elsewhere = shared('a-elsewhere', { type: 'restricted', billingAccountId: billing.kept }, [
  ['i4', 'kim@example.com'],
]);
const global = shared('a-global', { type: 'global' }, [['i5', 'lee@example.com']]);
const annAccepted: InvitationEvent = {
  type: 'InvitationAccepted',
  data: {
    ...ref('a-restricted', 'i2', 'ann@example.com'),
    userId: 'u-ann',
    role: 'administrator',
    scope: { type: 'restricted', billingAccountId: billing.deleted },
  },
};
const bobExpired: InvitationEvent = {
  type: 'InvitationExpired',
  data: { ...ref('a-restricted', 'i3', 'bob@example.com'), expiredAt: in72h },
};
const revokedByDeletion = (invitationId: string, email: string): InvitationEvent => ({
  type: 'InvitationRevoked',
  data: { ...ref('a-restricted', invitationId, email), revokedBy: 'u-olga', reason: 'billing_account_deleted' },
});
const deleteBilling: AccessCommand = {
  type: 'RevokeInvitationsOfDeletedBillingAccount',
  data: { accountId: 'acc1', billingAccountId: billing.deleted, deletedBy: 'u-olga' },
};

describe('RevokeInvitationsOfDeletedBillingAccount (MEM-26)', () => {
  it('revokes the pending and expired invitations of accesses restricted to the deleted billing account, by its deleter', () =>
    given([restricted, elsewhere, global, annAccepted, bobExpired])
      .when(deleteBilling)
      .then([revokedByDeletion('i1', 'mike@example.com'), revokedByDeletion('i3', 'bob@example.com')]));
  it('a redelivered deletion revokes nothing twice', () =>
    given([
      restricted,
      revokedByDeletion('i1', 'mike@example.com'),
      revokedByDeletion('i2', 'ann@example.com'),
      revokedByDeletion('i3', 'bob@example.com'),
    ])
      .when(deleteBilling)
      .thenNothing());
  it('an account with no access restricted to it has nothing to revoke', () =>
    given([elsewhere, global]).when(deleteBilling).thenNothing());
});

describe('An access restricted to a deleted billing account takes no new recipient (MEM-26)', () => {
  const add = (billingAccountIds: string[]): AccessCommand => ({
    type: 'AddRecipients',
    data: {
      accessId: 'a-restricted',
      recipients: [{ invitationId: 'i9', email: 'zed@example.com', link: link('9') }],
      addedBy: 'u-root',
      adder: { member: true, owner: true },
      billingAccountIds,
      memberEmails: [],
      dailyLimit: 500,
      now: later,
    },
  });
  it('adding recipients once its billing account is gone is refused with 409', () =>
    given([restricted])
      .when(add([billing.kept]))
      .thenThrows('conflict', 'access.billing_account_deleted'));
  it('while its billing account exists, recipients are added', () =>
    given([restricted])
      .when(add([billing.deleted, billing.kept]))
      .then([
        {
          type: 'AccessRecipientsAdded',
          data: {
            accessId: 'a-restricted',
            accountId: 'acc1',
            role: 'administrator',
            recipients: [{ invitationId: 'i9', email: 'zed@example.com', link: link('9') }],
            addedBy: 'u-root',
            addedAt: later,
            expiresAt: '2026-11-26T10:00:00.000Z',
          },
        },
      ]));
});
