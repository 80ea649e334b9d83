import type { InvitationEvent, InvitationLink, Person } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accessDecider, type AccessCommand, type ActorRights, type AddRecipients, type ShareAccess } from './access';

// An access's life after its share: more recipients (INV-27), a new name and revocation (INV-28),
// and an end date (INV-29).

const given = deciderSpec(accessDecider);
const now = '2026-11-22T10:00:00.000Z';
const in72h = '2026-11-25T10:00:00.000Z';
const later = '2026-11-23T10:00:00.000Z';
const inAMonth = '2026-12-22T10:00:00.000Z';
const ids = { access: 'a1', account: 'acc1', owner: 'u-owner', other: 'u-other-owner', mike: 'u-mike' };
const link = (n: string): InvitationLink => ({ nonce: `nonce-${n}`, tokenHash: `hash-${n}` });
const anOwner: ActorRights = { member: true, owner: true };
const aMember: ActorRights = { member: true, owner: false };
const aStranger: ActorRights = { member: false, owner: false };
const mike: Person = { userId: ids.mike, email: 'mike@example.com', emailVerified: true };

const share = (over: Partial<ShareAccess['data']> = {}): AccessCommand => ({
  type: 'ShareAccess',
  data: {
    accessId: ids.access,
    accountId: ids.account,
    name: 'Ops team',
    accessType: 'delegate',
    scope: { type: 'global' },
    role: 'administrator',
    recipients: [{ invitationId: 'i1', email: 'mike@example.com', link: link('1') }],
    message: null,
    sharedBy: ids.owner,
    sharer: anOwner,
    billingAccountIds: [],
    memberEmails: ['owner@example.com'],
    dailyLimit: 500,
    now,
    ...over,
  },
});

const shared = (over: Partial<Extract<InvitationEvent, { type: 'AccessShared' }>['data']> = {}): InvitationEvent => ({
  type: 'AccessShared',
  data: {
    accessId: ids.access,
    accountId: ids.account,
    name: 'Ops team',
    type: 'delegate',
    scope: { type: 'global' },
    role: 'administrator',
    recipients: [{ invitationId: 'i1', email: 'mike@example.com', link: link('1') }],
    message: null,
    sharedBy: ids.owner,
    sharedAt: now,
    expiresAt: in72h,
    ...over,
  },
});
const timeLimited = shared({ accessExpiresAt: inAMonth });

const ref = (invitationId: string, email: string) => ({
  accessId: ids.access,
  accountId: ids.account,
  invitationId,
  email,
});
const mikeAccepted: InvitationEvent = {
  type: 'InvitationAccepted',
  data: { ...ref('i1', 'mike@example.com'), userId: ids.mike, role: 'administrator', scope: { type: 'global' } },
};

const add = (over: Partial<AddRecipients['data']> = {}): AccessCommand => ({
  type: 'AddRecipients',
  data: {
    accessId: ids.access,
    recipients: [{ invitationId: 'i2', email: ' Ann@example.com ', link: link('2') }],
    addedBy: ids.other,
    adder: anOwner,
    billingAccountIds: [],
    memberEmails: ['owner@example.com'],
    dailyLimit: 500,
    now: later,
    ...over,
  },
});
const annAdded: InvitationEvent = {
  type: 'AccessRecipientsAdded',
  data: {
    accessId: ids.access,
    accountId: ids.account,
    role: 'administrator',
    recipients: [{ invitationId: 'i2', email: 'Ann@example.com', link: link('2') }],
    addedBy: ids.other,
    addedAt: later,
    expiresAt: '2026-11-26T10:00:00.000Z',
  },
};

const rename = (name: string, renamedBy = ids.owner, renamer = anOwner): AccessCommand => ({
  type: 'RenameAccess',
  data: { accessId: ids.access, name, renamedBy, renamer },
});
const revokeAccess = (revokedBy = ids.other, revoker = anOwner, accessId = ids.access): AccessCommand => ({
  type: 'RevokeAccess',
  data: { accessId, revokedBy, revoker, now: later },
});
const accessRevoked: InvitationEvent = {
  type: 'AccessRevoked',
  data: { accessId: ids.access, accountId: ids.account, revokedBy: ids.other, revokedAt: later },
};
const expireAccess = (at: string): AccessCommand => ({ type: 'ExpireAccess', data: { accessId: ids.access, now: at } });
const accessExpired: InvitationEvent = {
  type: 'AccessExpired',
  data: { accessId: ids.access, accountId: ids.account, sharedBy: ids.owner, expiredAt: inAMonth },
};

describe('AddRecipients (INV-27)', () => {
  it('any owner invites more people to an access: one pending invitation each, sent by them', () =>
    given([shared()]).when(add()).then([annAdded]));

  it('the added invitation can be accepted and joins with the access’s grant', () => {
    const accept: AccessCommand = {
      type: 'AcceptInvitation',
      data: {
        invitationId: 'i2',
        person: { userId: 'u-ann', email: 'ann@example.com', emailVerified: true },
        owners: new Set([ids.other]),
        now: later,
      },
    };
    given([timeLimited, annAdded])
      .when(accept)
      .then([
        {
          type: 'InvitationAccepted',
          data: {
            ...ref('i2', 'Ann@example.com'),
            userId: 'u-ann',
            role: 'administrator',
            scope: { type: 'global' },
            accessType: 'delegate',
            accessExpiresAt: inAMonth,
          },
        },
      ]);
  });

  it('a member who is not an owner is refused; a stranger learns nothing', () => {
    given([shared()])
      .when(add({ adder: aMember }))
      .thenThrows('forbidden', 'users.owner_only');
    given([shared()])
      .when(add({ adder: aStranger }))
      .thenThrows('not_found', 'account.not_found');
  });

  it('an unknown access is not found', () =>
    given([shared()])
      .when(add({ accessId: 'a-unknown' }))
      .thenThrows('not_found', 'access.not_found'));

  it('follows every rule of a share: an existing member is refused', () =>
    given([shared()])
      .when(add({ memberEmails: ['ann@example.com'] }))
      .thenThrows('conflict', 'invitation.already_member'));

  it('follows every rule of a share: one pending invitation per e-mail in the account', () =>
    given([shared()])
      .when(add({ recipients: [{ invitationId: 'i2', email: 'MIKE@example.com', link: link('2') }] }))
      .thenThrows('conflict', 'invitation.pending_exists'));

  it('follows every rule of a share: no e-mail twice, 1 to 50 recipients', () => {
    given([shared()])
      .when(
        add({
          recipients: [
            { invitationId: 'i2', email: 'ann@example.com', link: link('2') },
            { invitationId: 'i3', email: 'ANN@example.com', link: link('3') },
          ],
        }),
      )
      .thenThrows('validation', 'access.recipients_duplicate');
    given([shared()])
      .when(add({ recipients: [] }))
      .thenThrows('validation', 'access.recipients_count');
  });

  it('an access never has more than 50 recipients in all', () =>
    given([shared()])
      .when(
        add({
          recipients: Array.from({ length: 50 }, (_, i) => ({
            invitationId: `n${i}`,
            email: `p${i}@example.com`,
            link: link(`n${i}`),
          })),
        }),
      )
      .thenThrows('validation', 'access.recipients_count'));

  it('follows every rule of a share: the daily quota counts added invitations', () =>
    given([shared()])
      .when(add({ dailyLimit: 1, now: '2026-11-22T11:00:00.000Z' }))
      .thenThrows('rate_limited', 'invitation.daily_limit'));

  it('a revoked or expired access takes no new recipients', () => {
    given([shared(), accessRevoked]).when(add()).thenThrows('conflict', 'access.ended');
    given([timeLimited, accessExpired]).when(add()).thenThrows('conflict', 'access.ended');
    given([timeLimited])
      .when(add({ now: inAMonth }))
      .thenThrows('conflict', 'access.ended');
  });
});

describe('RenameAccess (INV-28)', () => {
  it('the sharer renames their access (trimmed)', () =>
    given([shared()])
      .when(rename('  Ops team 2027 '))
      .then([
        {
          type: 'AccessRenamed',
          data: { accessId: ids.access, accountId: ids.account, name: 'Ops team 2027', renamedBy: ids.owner },
        },
      ]));

  it('another owner, who never sees the name, cannot rename it', () =>
    given([shared()]).when(rename('Mine now', ids.other)).thenThrows('forbidden', 'access.sharer_only'));

  it('a stranger learns nothing; an unknown access is not found', () => {
    given([shared()])
      .when(rename('x', 'u-x', aStranger))
      .thenThrows('not_found', 'account.not_found');
    given([]).when(rename('x')).thenThrows('not_found', 'access.not_found');
  });

  it('an empty or too long name is refused; the same name changes nothing', () => {
    given([shared()]).when(rename('  ')).thenThrows('validation', 'access.name_invalid');
    given([shared()])
      .when(rename('x'.repeat(101)))
      .thenThrows('validation', 'access.name_invalid');
    given([shared()]).when(rename('Ops team')).thenNothing();
  });
});

describe('RevokeAccess (INV-28)', () => {
  it('any owner revokes an access: its pending invitations are revoked with it', () =>
    given([shared(), annAdded])
      .when(revokeAccess())
      .then([
        accessRevoked,
        {
          type: 'InvitationRevoked',
          data: { ...ref('i1', 'mike@example.com'), revokedBy: ids.other, reason: 'access_revoked' },
        },
        {
          type: 'InvitationRevoked',
          data: { ...ref('i2', 'Ann@example.com'), revokedBy: ids.other, reason: 'access_revoked' },
        },
      ]));

  it('accepted invitations stay as they are (the membership context removes their members)', () =>
    given([shared(), mikeAccepted]).when(revokeAccess()).then([accessRevoked]));

  it('revoking twice changes nothing', () => given([shared(), accessRevoked]).when(revokeAccess()).thenNothing());

  it('an access that already ran out is not revoked', () =>
    given([timeLimited, accessExpired]).when(revokeAccess()).thenThrows('conflict', 'access.ended'));

  it('a member who is not an owner is refused; a stranger learns nothing; an unknown access is not found', () => {
    given([shared()]).when(revokeAccess('u-x', aMember)).thenThrows('forbidden', 'users.owner_only');
    given([shared()]).when(revokeAccess('u-x', aStranger)).thenThrows('not_found', 'account.not_found');
    given([shared()])
      .when(revokeAccess(ids.other, anOwner, 'a2'))
      .thenThrows('not_found', 'access.not_found');
  });

  it('a revoked access’s invitations can be neither accepted nor resent', () => {
    const revokedMike: InvitationEvent = {
      type: 'InvitationRevoked',
      data: { ...ref('i1', 'mike@example.com'), revokedBy: ids.other, reason: 'access_revoked' },
    };
    given([shared(), accessRevoked, revokedMike])
      .when({ type: 'AcceptInvitation', data: { invitationId: 'i1', person: mike, owners: new Set([ids.owner]), now } })
      .thenThrows('conflict', 'invitation.not_pending');
    given([shared(), accessRevoked])
      .when({
        type: 'ResendInvitation',
        data: { invitationId: 'i1', link: link('9'), resentBy: ids.owner, resender: anOwner, now: later },
      })
      .thenThrows('conflict', 'access.ended');
  });
});

describe('time-limited access (INV-29)', () => {
  it('a share may carry an end date; the recipient joins with it', () => {
    given([])
      .when(share({ accessExpiresAt: inAMonth }))
      .then([timeLimited]);
    given([timeLimited])
      .when({ type: 'AcceptInvitation', data: { invitationId: 'i1', person: mike, owners: new Set([ids.owner]), now } })
      .then([
        {
          type: 'InvitationAccepted',
          data: {
            ...ref('i1', 'mike@example.com'),
            userId: ids.mike,
            role: 'administrator',
            scope: { type: 'global' },
            accessType: 'delegate',
            accessExpiresAt: inAMonth,
          },
        },
      ]);
  });

  it('the end date is stored as a UTC instant', () =>
    given([])
      .when(share({ accessExpiresAt: '2026-12-22T12:00:00+02:00' }))
      .then([timeLimited]));

  it('an end date in the past (or now) is refused, naming the field', () => {
    given([])
      .when(share({ accessExpiresAt: '2026-11-01T00:00:00.000Z' }))
      .thenThrows('validation', 'access.expiry_past');
    given([])
      .when(share({ accessExpiresAt: now }))
      .thenThrows('validation', 'access.expiry_past');
  });

  it('an end date more than one year ahead is refused; exactly one year is fine', () => {
    given([])
      .when(share({ accessExpiresAt: '2027-11-22T10:00:00.001Z' }))
      .thenThrows('validation', 'access.expiry_too_far');
    given([])
      .when(share({ accessExpiresAt: '2027-11-22T10:00:00.000Z' }))
      .then([shared({ accessExpiresAt: '2027-11-22T10:00:00.000Z' })]);
  });

  it('an end date that is no date is refused', () =>
    given([])
      .when(share({ accessExpiresAt: 'next tuesday' }))
      .thenThrows('validation', 'access.expiry_invalid'));

  it('once the end passes the access expires and its pending invitations are revoked', () =>
    given([timeLimited])
      .when(expireAccess(inAMonth))
      .then([
        accessExpired,
        {
          type: 'InvitationRevoked',
          data: { ...ref('i1', 'mike@example.com'), revokedBy: ids.owner, reason: 'access_expired' },
        },
      ]));

  it('before its end, after it expired, once revoked, or with no end, expiring changes nothing', () => {
    given([timeLimited]).when(expireAccess(later)).thenNothing();
    given([timeLimited, accessExpired]).when(expireAccess(inAMonth)).thenNothing();
    given([timeLimited, accessRevoked]).when(expireAccess(inAMonth)).thenNothing();
    given([shared()]).when(expireAccess('2030-01-01T00:00:00.000Z')).thenNothing();
    given([]).when(expireAccess(inAMonth)).thenNothing();
  });

  it('past its end an invitation of the access cannot be accepted, even before the scheduler ran', () =>
    given([shared({ accessExpiresAt: later })])
      .when({
        type: 'AcceptInvitation',
        data: { invitationId: 'i1', person: mike, owners: new Set([ids.owner]), now: later },
      })
      .thenThrows('conflict', 'access.ended'));
});
