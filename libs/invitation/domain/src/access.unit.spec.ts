import {
  upcast,
  type EventEnvelope,
  type InvitationEvent,
  type InvitationLink,
  type InvitationStatus,
  type Person,
} from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import {
  accessDecider,
  apiTokenOwed,
  isLinkUsable,
  type AccessCommand,
  type ActorRights,
  type ShareAccess,
} from './access';

const given = deciderSpec(accessDecider);
const now = '2026-11-22T10:00:00.000Z';
const in72h = '2026-11-25T10:00:00.000Z';
const ids = { access: 'a1', account: 'acc1', inv1: 'i1', inv2: 'i2', owner: 'u-owner', mike: 'u-mike' };
const link = (n: string): InvitationLink => ({ nonce: `nonce-${n}`, tokenHash: `hash-${n}` });
const mike: Person = { userId: ids.mike, email: 'mike@example.com', emailVerified: true };
const ann: Person = { userId: 'u-ann', email: 'ann@example.com', emailVerified: true };
const anOwner: ActorRights = { member: true, owner: true };
const aMember: ActorRights = { member: true, owner: false };
const aStranger: ActorRights = { member: false, owner: false };
/** Senders the membership service confirmed as owners when the recipient accepts. */
const stillOwner: ReadonlySet<string> = new Set([ids.owner]);

const share = (over: Partial<ShareAccess['data']> = {}): AccessCommand => ({
  type: 'ShareAccess',
  data: {
    accessId: ids.access,
    accountId: ids.account,
    name: 'Ops team',
    accessType: 'delegate',
    scope: { type: 'global' },
    role: 'administrator',
    recipients: [
      { invitationId: ids.inv1, email: 'Mike@Example.com', link: link('1') },
      { invitationId: ids.inv2, email: 'ann@example.com', link: link('2') },
    ],
    message: null,
    sharedBy: ids.owner,
    sharer: anOwner,
    billingAccountIds: ['b1'],
    memberEmails: ['owner@example.com'],
    dailyLimit: 500,
    now,
    ...over,
  },
});

const accessShared: InvitationEvent = {
  type: 'AccessShared',
  data: {
    accessId: ids.access,
    accountId: ids.account,
    name: 'Ops team',
    type: 'delegate',
    scope: { type: 'global' },
    role: 'administrator',
    recipients: [
      { invitationId: ids.inv1, email: 'Mike@Example.com', link: link('1') },
      { invitationId: ids.inv2, email: 'ann@example.com', link: link('2') },
    ],
    message: null,
    sharedBy: ids.owner,
    sharedAt: now,
    expiresAt: in72h,
  },
};

const mikeRef = { accessId: ids.access, accountId: ids.account, invitationId: ids.inv1, email: 'Mike@Example.com' };
const accept = (person: Person = mike, at = now, invitationId = ids.inv1, owners = stillOwner): AccessCommand => ({
  type: 'AcceptInvitation',
  data: { invitationId, person, owners, now: at },
});
const acceptByToken = (tokenHash: string, person: Person = mike, at = now, owners = stillOwner): AccessCommand => ({
  type: 'AcceptByToken',
  data: { tokenHash, person, owners, now: at },
});
const accepted: InvitationEvent = {
  type: 'InvitationAccepted',
  data: { ...mikeRef, userId: ids.mike, role: 'administrator', scope: { type: 'global' }, accessType: 'delegate' },
};
const resent = (n: string, expiresAt = in72h): InvitationEvent => ({
  type: 'InvitationResent',
  data: { ...mikeRef, link: link(n), expiresAt, resentBy: ids.owner },
});
const revoked: InvitationEvent = {
  type: 'InvitationRevoked',
  data: { ...mikeRef, revokedBy: ids.owner, reason: 'revoked_by_owner' },
};
const expired: InvitationEvent = { type: 'InvitationExpired', data: { ...mikeRef, expiredAt: in72h } };
const declined: InvitationEvent = { type: 'InvitationDeclined', data: { ...mikeRef, userId: ids.mike } };

describe('ShareAccess', () => {
  it('shares an access with one pending invitation per recipient, valid 72 hours (seed 004: 3 days)', () =>
    given([]).when(share()).then([accessShared]));

  it('trims the access name and recipient e-mails', () =>
    given([])
      .when(
        share({
          name: '  Ops team ',
          recipients: [
            { invitationId: ids.inv1, email: ' Mike@Example.com ', link: link('1') },
            { invitationId: ids.inv2, email: 'ann@example.com', link: link('2') },
          ],
        }),
      )
      .then([accessShared]));

  it('uses the account’s own link validity when it set one (1 hour to 30 days)', () =>
    given([
      { type: 'InvitationSettingsChanged', data: { accountId: ids.account, expiryHours: 1, changedBy: ids.owner } },
    ])
      .when(share())
      .then([
        { ...accessShared, data: { ...accessShared.data, expiresAt: '2026-11-22T11:00:00.000Z' } } as InvitationEvent,
      ]));

  it('keeps the optional message for the recipient', () => {
    const events = accessDecider.decide(share({ message: 'Welcome aboard' }), accessDecider.initialState());
    expect(events[0]!.type === 'AccessShared' && events[0]!.data.message).toBe('Welcome aboard');
  });

  it('refuses a message over 1000 characters (seed 002 invitation message)', () =>
    given([])
      .when(share({ message: 'x'.repeat(1001) }))
      .thenThrows('validation', 'access.message_too_long'));

  it('refuses a share without recipients', () =>
    given([])
      .when(share({ recipients: [] }))
      .thenThrows('validation', 'access.recipients_count'));

  it('refuses more than 50 recipients', () =>
    given([])
      .when(
        share({
          recipients: Array.from({ length: 51 }, (_, i) => ({
            invitationId: `i${i}`,
            email: `p${i}@example.com`,
            link: link(`${i}`),
          })),
        }),
      )
      .thenThrows('validation', 'access.recipients_count'));

  it('refuses the same recipient twice, whatever the letter case', () =>
    given([])
      .when(
        share({
          recipients: [
            { invitationId: 'x', email: 'mike@example.com', link: link('x') },
            { invitationId: 'y', email: 'MIKE@example.com', link: link('y') },
          ],
        }),
      )
      .thenThrows('validation', 'access.recipients_duplicate'));

  it('refuses an empty access name', () =>
    given([])
      .when(share({ name: '   ' }))
      .thenThrows('validation', 'access.name_invalid'));

  it('shares an access of type API token (seed 000 "Access Types")', () => {
    const events = accessDecider.decide(share({ accessType: 'api_token' }), accessDecider.initialState());
    expect(events[0]!.type === 'AccessShared' && events[0]!.data.type).toBe('api_token');
  });

  it('accepting an API-token access says so, so a token can be issued for it', () => {
    const tokenShare: InvitationEvent = {
      ...accessShared,
      data: { ...accessShared.data, type: 'api_token' },
    } as InvitationEvent;
    given([tokenShare])
      .when(accept())
      .then([{ ...accepted, data: { ...accepted.data, accessType: 'api_token' } } as InvitationEvent]);
  });

  it('refuses to share the same access twice', () =>
    given([accessShared]).when(share()).thenThrows('conflict', 'access.exists'));

  it('a second pending invitation for the same e-mail and account is refused (409)', () =>
    given([accessShared])
      .when(share({ accessId: 'a2', recipients: [{ invitationId: 'i9', email: 'MIKE@example.com', link: link('9') }] }))
      .thenThrows('conflict', 'invitation.pending_exists'));

  it('a new invitation is fine once the earlier one is settled (declined, revoked, expired)', () => {
    for (const settled of [declined, revoked, expired]) {
      const events = accessDecider.decide(
        share({ accessId: 'a2', recipients: [{ invitationId: 'i9', email: 'mike@example.com', link: link('9') }] }),
        [accessShared, settled].reduce(accessDecider.evolve, accessDecider.initialState()),
      );
      expect(events.map((e) => e.type)).toEqual(['AccessShared']);
    }
  });

  it('inviting an existing member is refused (409)', () =>
    given([])
      .when(share({ memberEmails: ['ANN@example.com'] }))
      .thenThrows('conflict', 'invitation.already_member'));

  it('the daily quota per account is enforced (429 with a retry time)', () => {
    const state = [accessShared].reduce(accessDecider.evolve, accessDecider.initialState());
    let thrown: unknown;
    try {
      accessDecider.decide(
        share({
          accessId: 'a2',
          dailyLimit: 3,
          recipients: [
            { invitationId: 'i8', email: 'a@x.io', link: link('8') },
            { invitationId: 'i9', email: 'b@x.io', link: link('9') },
          ],
        }),
        state,
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      kind: 'rate_limited',
      code: 'invitation.daily_limit',
      retryAfterSeconds: 24 * 3600,
    });
  });

  it('the daily quota counts a rolling day: yesterday’s invitations no longer count', () => {
    const state = [accessShared].reduce(accessDecider.evolve, accessDecider.initialState());
    const tomorrow = '2026-11-23T10:00:01.000Z';
    const events = accessDecider.decide(
      share({
        accessId: 'a2',
        dailyLimit: 2,
        now: tomorrow,
        recipients: [
          { invitationId: 'i8', email: 'a@x.io', link: link('8') },
          { invitationId: 'i9', email: 'b@x.io', link: link('9') },
        ],
      }),
      state,
    );
    expect(events).toHaveLength(1);
  });
});

describe('AcceptInvitation', () => {
  it('the addressee signed in with the same verified e-mail accepts', () =>
    given([accessShared]).when(accept()).then([accepted]));

  it('e-mails compare case-insensitively after trimming', () =>
    given([accessShared])
      .when(accept({ ...mike, email: '  MIKE@example.COM ' }))
      .then([accepted]));

  it('a look-alike Unicode address is someone else (mıke ≠ mike)', () =>
    given([accessShared])
      .when(accept({ ...mike, email: 'mıke@example.com' }))
      .thenThrows('not_found', 'invitation.not_found'));

  it('anyone else gets not-found, never a hint that the invitation exists', () =>
    given([accessShared])
      .when(accept({ userId: 'u-eve', email: 'eve@example.com', emailVerified: true }))
      .thenThrows('not_found', 'invitation.not_found'));

  it('an unknown invitation id is not found', () =>
    given([accessShared])
      .when(accept(mike, now, 'nope'))
      .thenThrows('not_found', 'invitation.not_found'));

  it('an unverified e-mail cannot accept (403 saying why)', () =>
    given([accessShared])
      .when(accept({ ...mike, emailVerified: false }))
      .thenThrows('forbidden', 'email.unverified'));

  it('accepting again as the same person changes nothing (double click, retried request, the losing racer)', () =>
    given([accessShared, accepted]).when(accept()).thenNothing());

  it('an invitation accepted by another account of the same e-mail cannot be taken over', () =>
    given([accessShared, accepted])
      .when(accept({ ...mike, userId: 'u-other' }))
      .thenThrows('conflict', 'invitation.not_pending'));

  it('an expired invitation cannot be accepted, even before the scheduler marked it', () =>
    given([accessShared]).when(accept(mike, in72h)).thenThrows('conflict', 'invitation.expired'));

  it('an invitation marked expired cannot be accepted', () =>
    given([accessShared, expired]).when(accept()).thenThrows('conflict', 'invitation.not_pending'));

  it('a revoked invitation cannot be accepted (seed 002)', () =>
    given([accessShared, revoked]).when(accept()).thenThrows('conflict', 'invitation.not_pending'));

  it('a declined invitation cannot be accepted', () =>
    given([accessShared, declined]).when(accept()).thenThrows('conflict', 'invitation.not_pending'));

  it('one recipient accepting leaves the other invitation pending', () => {
    const state = [accessShared, accepted].reduce(accessDecider.evolve, accessDecider.initialState());
    expect(state.invitations.get(ids.inv2)!.status).toBe('pending');
  });
});

describe('AcceptByToken (the e-mailed link)', () => {
  it('the current link accepts for the addressee', () =>
    given([accessShared]).when(acceptByToken('hash-1')).then([accepted]));

  it('an unknown link gets the generic answer', () =>
    given([accessShared]).when(acceptByToken('hash-x')).thenThrows('not_found', 'invitation.link_invalid'));

  it('a resent invitation’s old link is dead (seed 004 "the old link will be invalid")', () =>
    given([accessShared, resent('new')])
      .when(acceptByToken('hash-1'))
      .thenThrows('not_found', 'invitation.link_invalid'));

  it('the resent link works', () =>
    given([accessShared, resent('new')])
      .when(acceptByToken('hash-new'))
      .then([accepted]));

  it('a revoked invitation’s link gets the same generic answer (seed 002)', () =>
    given([accessShared, revoked]).when(acceptByToken('hash-1')).thenThrows('not_found', 'invitation.link_invalid'));

  it('an expired link gets the same generic answer', () =>
    given([accessShared])
      .when(acceptByToken('hash-1', mike, in72h))
      .thenThrows('not_found', 'invitation.link_invalid'));

  it('the link used by someone signed in with another e-mail is refused, saying which address to use', () =>
    given([accessShared]).when(acceptByToken('hash-1', ann)).thenThrows('forbidden', 'invitation.other_email'));

  it('the link needs a verified e-mail', () =>
    given([accessShared])
      .when(acceptByToken('hash-1', { ...mike, emailVerified: false }))
      .thenThrows('forbidden', 'email.unverified'));

  it('following the link again after accepting changes nothing', () =>
    given([accessShared, accepted]).when(acceptByToken('hash-1')).thenNothing());
});

describe('DeclineInvitation', () => {
  const decline = (person: Person = mike): AccessCommand => ({
    type: 'DeclineInvitation',
    data: { invitationId: ids.inv1, person, now },
  });

  it('the addressee declines a pending invitation', () => given([accessShared]).when(decline()).then([declined]));
  it('declining twice changes nothing', () => given([accessShared, declined]).when(decline()).thenNothing());
  it('someone else cannot decline it', () =>
    given([accessShared]).when(decline(ann)).thenThrows('not_found', 'invitation.not_found'));
  it('an accepted invitation cannot be declined', () =>
    given([accessShared, accepted]).when(decline()).thenThrows('conflict', 'invitation.not_pending'));
});

describe('ResendInvitation', () => {
  const resend = (n: string, at = now, resender = anOwner): AccessCommand => ({
    type: 'ResendInvitation',
    data: { invitationId: ids.inv1, link: link(n), resentBy: ids.owner, resender, now: at },
  });

  it('issues a new link and a new expiry', () =>
    given([accessShared])
      .when(resend('new', '2026-11-23T10:00:00.000Z'))
      .then([resent('new', '2026-11-26T10:00:00.000Z')]));
  it('brings an expired invitation back with a fresh link', () =>
    given([accessShared, expired])
      .when(resend('new'))
      .then([resent('new')]));
  it('an accepted invitation is not resent', () =>
    given([accessShared, accepted]).when(resend('new')).thenThrows('conflict', 'invitation.not_pending'));
  it('a revoked invitation is not resent', () =>
    given([accessShared, revoked]).when(resend('new')).thenThrows('conflict', 'invitation.not_pending'));
  it('an unknown invitation is not found', () =>
    given([])
      .when({
        type: 'ResendInvitation',
        data: { invitationId: 'x', link: link('n'), resentBy: ids.owner, resender: anOwner, now },
      })
      .thenThrows('not_found', 'invitation.not_found'));
});

describe('RevokeInvitation', () => {
  const revoke: AccessCommand = {
    type: 'RevokeInvitation',
    data: { invitationId: ids.inv1, revokedBy: ids.owner, revoker: anOwner, now },
  };

  it('the owner revokes a pending invitation (seed 002 "Remove")', () =>
    given([accessShared]).when(revoke).then([revoked]));
  it('revoking twice changes nothing', () => given([accessShared, revoked]).when(revoke).thenNothing());
  it('an accepted invitation cannot be revoked (remove the member instead)', () =>
    given([accessShared, accepted]).when(revoke).thenThrows('conflict', 'invitation.not_pending'));
});

describe('RevokeInvitationsOfInviter (rule 7: an invitation dies with its sender’s right to send it)', () => {
  const lostRights = (inviterId = ids.owner, lostRightsAt = now): AccessCommand => ({
    type: 'RevokeInvitationsOfInviter',
    data: { accountId: ids.account, inviterId, revokedBy: 'u-root', lostRightsAt },
  });
  const annRevoked: InvitationEvent = {
    type: 'InvitationRevoked',
    data: {
      accessId: ids.access,
      accountId: ids.account,
      invitationId: ids.inv2,
      email: 'ann@example.com',
      revokedBy: 'u-root',
      reason: 'inviter_lost_rights',
    },
  };
  const mikeRevoked: InvitationEvent = {
    type: 'InvitationRevoked',
    data: { ...mikeRef, revokedBy: 'u-root', reason: 'inviter_lost_rights' },
  };
  const resentBy = (by: string, n: string, expiresAt = in72h): InvitationEvent => ({
    type: 'InvitationResent',
    data: { ...mikeRef, link: link(n), expiresAt, resentBy: by },
  });

  it('revokes every pending invitation the inviter sent, with the reason inviter_lost_rights', () =>
    given([accessShared, accepted]).when(lostRights()).then([annRevoked]));

  it('leaves other people’s invitations alone', () =>
    given([accessShared]).when(lostRights('u-someone')).thenNothing());

  it('also revokes an expired one, which could otherwise be resent and revived', () =>
    given([accessShared, expired]).when(lostRights(ids.owner, in72h)).then([mikeRevoked, annRevoked]));

  it('a resend counts as sending: what another owner shared and this one resent is revoked too', () =>
    given([
      { ...accessShared, data: { ...accessShared.data, sharedBy: 'u-olga' } } as InvitationEvent,
      resentBy(ids.owner, 'r'),
    ])
      .when(lostRights(ids.owner))
      .then([mikeRevoked]));

  it('the sharer losing the right revokes it even after another owner resent it', () =>
    given([accessShared, resentBy('u-olga', 'r')])
      .when(lostRights(ids.owner))
      .then([mikeRevoked, annRevoked]));

  it('what the inviter sent after regaining the right survives a late or replayed reaction', () =>
    given([accessShared]).when(lostRights(ids.owner, '2026-11-22T09:59:59.999Z')).thenNothing());

  it('a second reaction to the same loss changes nothing', () =>
    given([accessShared, mikeRevoked, annRevoked]).when(lostRights()).thenNothing());

  it('an old revocation stored with reason inviter_removed still counts as revoked', () =>
    given([
      accessShared,
      { ...mikeRevoked, data: { ...mikeRevoked.data, reason: 'inviter_removed' } } as InvitationEvent,
    ])
      .when(accept())
      .thenThrows('conflict', 'invitation.not_pending'));
});

describe('ExpireInvitation (scheduler)', () => {
  const expire = (at: string): AccessCommand => ({
    type: 'ExpireInvitation',
    data: { invitationId: ids.inv1, now: at },
  });

  it('an invitation past its expiry becomes expired', () => given([accessShared]).when(expire(in72h)).then([expired]));
  it('not yet: nothing happens', () => given([accessShared]).when(expire('2026-11-25T09:59:59.999Z')).thenNothing());
  it('a resent invitation keeps its new expiry', () =>
    given([accessShared, resent('new', '2026-11-28T10:00:00.000Z')])
      .when(expire(in72h))
      .thenNothing());
  it('an accepted invitation never expires', () => given([accessShared, accepted]).when(expire(in72h)).thenNothing());
  it('expiring twice changes nothing (two scheduler replicas)', () =>
    given([accessShared, expired]).when(expire(in72h)).thenNothing());
});

describe('ChangeInvitationSettings', () => {
  const change = (expiryHours: number, changer = anOwner): AccessCommand => ({
    type: 'ChangeInvitationSettings',
    data: { accountId: ids.account, expiryHours, changedBy: ids.owner, changer },
  });

  it('sets link validity within 1 hour and 30 days', () =>
    given([])
      .when(change(720))
      .then([
        { type: 'InvitationSettingsChanged', data: { accountId: ids.account, expiryHours: 720, changedBy: ids.owner } },
      ]));
  it('refuses less than an hour', () =>
    given([]).when(change(0)).thenThrows('validation', 'invitation.expiry_out_of_range'));
  it('refuses more than 30 days', () =>
    given([]).when(change(721)).thenThrows('validation', 'invitation.expiry_out_of_range'));
  it('refuses fractions of an hour', () =>
    given([]).when(change(1.5)).thenThrows('validation', 'invitation.expiry_out_of_range'));
});

describe('ids from outside never reach Object.prototype (issue 8 rule 1)', () => {
  const prototypeNames = ['constructor', '__proto__', 'hasOwnProperty', 'toString'];

  it.each(prototypeNames)('accepting invitation %s is not found and yields no event', (id) =>
    given([accessShared])
      .when(accept(mike, now, id))
      .thenThrows('not_found', 'invitation.not_found'),
  );

  it.each(prototypeNames)('declining invitation %s is not found', (id) =>
    given([accessShared])
      .when({ type: 'DeclineInvitation', data: { invitationId: id, person: mike, now } })
      .thenThrows('not_found', 'invitation.not_found'),
  );

  it.each(prototypeNames)('resending invitation %s is not found', (id) =>
    given([accessShared])
      .when({
        type: 'ResendInvitation',
        data: { invitationId: id, link: link('n'), resentBy: ids.owner, resender: anOwner, now },
      })
      .thenThrows('not_found', 'invitation.not_found'),
  );

  it.each(prototypeNames)('revoking invitation %s is not found', (id) =>
    given([accessShared])
      .when({ type: 'RevokeInvitation', data: { invitationId: id, revokedBy: ids.owner, revoker: anOwner, now } })
      .thenThrows('not_found', 'invitation.not_found'),
  );

  it.each(prototypeNames)('expiring invitation %s yields no event', (id) =>
    given([accessShared])
      .when({ type: 'ExpireInvitation', data: { invitationId: id, now: in72h } })
      .thenNothing(),
  );

  it.each(prototypeNames)('an access id %s is a new access like any other', (id) => {
    const events = accessDecider.decide(share({ accessId: id }), accessDecider.initialState());
    expect(events.map((e) => e.type)).toEqual(['AccessShared']);
  });
});

describe('DeclineInvitation needs the verified e-mail (issue 8 rule 8)', () => {
  it('an unverified e-mail cannot decline, even with the matching address (403 saying why)', () =>
    given([accessShared])
      .when({
        type: 'DeclineInvitation',
        data: { invitationId: ids.inv1, person: { ...mike, emailVerified: false }, now },
      })
      .thenThrows('forbidden', 'email.unverified'));

  it('an unverified stranger still gets not-found, never a hint that the invitation exists', () =>
    given([accessShared])
      .when({
        type: 'DeclineInvitation',
        data: {
          invitationId: ids.inv1,
          person: { userId: 'u-eve', email: 'eve@example.com', emailVerified: false },
          now,
        },
      })
      .thenThrows('not_found', 'invitation.not_found'));
});

describe('owner rules decided here, from facts on the command (issue 8 rule 10)', () => {
  it('a non-member cannot share, and learns nothing about the account (404)', () =>
    given([])
      .when(share({ sharer: aStranger }))
      .thenThrows('not_found', 'account.not_found'));

  it('a member who is not an owner cannot share (seed 004: owners alone add users)', () =>
    given([])
      .when(share({ sharer: aMember }))
      .thenThrows('forbidden', 'users.owner_only'));

  it('owners are always global: sharing the owner role with a restricted scope is refused', () =>
    given([])
      .when(share({ role: 'owner', scope: { type: 'restricted', billingAccountId: 'b1' } }))
      .thenThrows('validation', 'access.owner_scope'));

  it('a restricted scope must name a billing account of this account', () =>
    given([])
      .when(share({ scope: { type: 'restricted', billingAccountId: 'b-elsewhere' } }))
      .thenThrows('validation', 'billing_account.not_found'));

  it('a restricted scope naming one of the account’s billing accounts is shared', () => {
    const restricted = { type: 'restricted', billingAccountId: 'b1' } as const;
    given([])
      .when(share({ scope: restricted }))
      .then([{ ...accessShared, data: { ...accessShared.data, scope: restricted } } as InvitationEvent]);
  });

  it('the sharer’s rights are checked before anything about the share is revealed', () =>
    given([])
      .when(share({ sharer: aStranger, scope: { type: 'restricted', billingAccountId: 'b-elsewhere' } }))
      .thenThrows('not_found', 'account.not_found'));

  it('a member who is not an owner cannot resend', () =>
    given([accessShared])
      .when({
        type: 'ResendInvitation',
        data: { invitationId: ids.inv1, link: link('n'), resentBy: 'u-mem', resender: aMember, now },
      })
      .thenThrows('forbidden', 'users.owner_only'));

  it('a non-member cannot revoke, and learns nothing about the invitation', () =>
    given([accessShared])
      .when({ type: 'RevokeInvitation', data: { invitationId: ids.inv1, revokedBy: 'u-eve', revoker: aStranger, now } })
      .thenThrows('not_found', 'account.not_found'));

  it('a member who is not an owner cannot revoke', () =>
    given([accessShared])
      .when({ type: 'RevokeInvitation', data: { invitationId: ids.inv1, revokedBy: 'u-mem', revoker: aMember, now } })
      .thenThrows('forbidden', 'users.owner_only'));

  it('a member who is not an owner cannot change the invitation settings', () =>
    given([])
      .when({
        type: 'ChangeInvitationSettings',
        data: { accountId: ids.account, expiryHours: 24, changedBy: 'u-mem', changer: aMember },
      })
      .thenThrows('forbidden', 'users.owner_only'));
});

describe('accepting needs every sender to still be an owner (rule 7, before the reaction revoked it)', () => {
  it('an invitation whose sharer is no longer an owner cannot be accepted', () =>
    given([accessShared])
      .when(accept(mike, now, ids.inv1, new Set()))
      .thenThrows('conflict', 'invitation.inviter_lost_rights'));

  it('nor through the link', () =>
    given([accessShared])
      .when(acceptByToken('hash-1', mike, now, new Set()))
      .thenThrows('conflict', 'invitation.inviter_lost_rights'));

  it('nor when the owner who resent it lost the role', () =>
    given([
      accessShared,
      { ...resent('new'), data: { ...(resent('new').data as object), resentBy: 'u-olga' } } as InvitationEvent,
    ])
      .when(accept(mike, now, ids.inv1, new Set([ids.owner])))
      .thenThrows('conflict', 'invitation.inviter_lost_rights'));

  it('when sharer and resender are both still owners it is accepted', () =>
    given([
      accessShared,
      { ...resent('new'), data: { ...(resent('new').data as object), resentBy: 'u-olga' } } as InvitationEvent,
    ])
      .when(accept(mike, now, ids.inv1, new Set([ids.owner, 'u-olga'])))
      .then([accepted]));

  it('an accept already made stays a no-op when the sender later lost the role', () =>
    given([accessShared, accepted])
      .when(accept(mike, now, ids.inv1, new Set()))
      .thenNothing());
});

describe('apiTokenOwed: an accepted API-token access can always get its token (issue 8 rule 10)', () => {
  const tokenShare: InvitationEvent = {
    ...accessShared,
    data: { ...accessShared.data, type: 'api_token' },
  } as InvitationEvent;
  const tokenAccepted: InvitationEvent = {
    ...accepted,
    data: { ...accepted.data, accessType: 'api_token' },
  } as InvitationEvent;
  const owed = { accessId: ids.access, invitationId: ids.inv1, scope: { type: 'global' } };
  const stateAfter = (events: InvitationEvent[]) => events.reduce(accessDecider.evolve, accessDecider.initialState());

  it('the person who accepted is owed a token for the invitation', () =>
    expect(apiTokenOwed(stateAfter([tokenShare, tokenAccepted]), ids.inv1, mike)).toEqual(owed));

  it('accepting again as the same person changes nothing and the token is still owed (a lost issue can be retried)', () => {
    given([tokenShare, tokenAccepted]).when(accept()).thenNothing();
    given([tokenShare, tokenAccepted]).when(acceptByToken('hash-1')).thenNothing();
    expect(apiTokenOwed(stateAfter([tokenShare, tokenAccepted]), ids.inv1, mike)).toEqual(owed);
  });

  it('another account of the same e-mail is owed nothing', () =>
    expect(apiTokenOwed(stateAfter([tokenShare, tokenAccepted]), ids.inv1, { ...mike, userId: 'u-other' })).toBeNull());

  it('an unverified e-mail is owed nothing', () =>
    expect(
      apiTokenOwed(stateAfter([tokenShare, tokenAccepted]), ids.inv1, { ...mike, emailVerified: false }),
    ).toBeNull());

  it('a pending invitation is owed nothing', () =>
    expect(apiTokenOwed(stateAfter([tokenShare]), ids.inv1, mike)).toBeNull());

  it('a delegate access is owed no token', () =>
    expect(apiTokenOwed(stateAfter([accessShared, accepted]), ids.inv1, mike)).toBeNull());

  it('an unknown or prototype invitation id is owed nothing', () =>
    expect(apiTokenOwed(stateAfter([tokenShare, tokenAccepted]), 'constructor', mike)).toBeNull());
});

describe('isLinkUsable: a link works while its invitation is pending and unexpired (the link view asks the same rule)', () => {
  const at = (status: InvitationStatus, expiresAt = '2030-01-01T00:00:00.000Z') => ({ status, expiresAt });
  it('a pending invitation before its expiry', () =>
    expect(isLinkUsable(at('pending'), '2029-12-31T23:59:59.000Z')).toBe(true));
  it('not at or after its expiry', () => expect(isLinkUsable(at('pending'), '2030-01-01T00:00:00.000Z')).toBe(false));
  it.each(['accepted', 'declined', 'revoked', 'expired'] as const)('not once %s', (status) =>
    expect(isLinkUsable(at(status), '2029-01-01T00:00:00.000Z')).toBe(false),
  );
});

describe('an AccessShared stored at schemaVersion 1 (no sharedAt) is folded from its upcast (issue 11)', () => {
  // Written when links were valid for 7 days: expiresAt − today's validity (72 h) is not when it
  // was shared, which is what `evolve` used to assume. The upcast takes the envelope's occurredAt.
  const sevenDaysLater = '2026-11-29T10:00:00.000Z';
  const { sharedAt: _sharedAt, ...v1Data } = { ...accessShared.data, expiresAt: sevenDaysLater } as Extract<
    InvitationEvent,
    { type: 'AccessShared' }
  >['data'];
  const storedV1: EventEnvelope = {
    id: 'e1',
    type: 'AccessShared',
    schemaVersion: 1,
    streamId: `access-${ids.account}`,
    streamPosition: 0,
    globalPosition: 65_536,
    occurredAt: now,
    accountId: ids.account,
    actor: { userId: ids.owner, via: 'session' },
    correlationId: 'c1',
    causationId: null,
    data: v1Data,
  };
  const read = upcast(storedV1);
  const sharedV1: InvitationEvent = { type: 'AccessShared', data: read.data } as InvitationEvent;

  it('reads it at version 2 with sharedAt = occurredAt', () =>
    expect(read).toMatchObject({ schemaVersion: 2, data: { ...v1Data, sharedAt: now } }));

  it('the daily quota counts its invitations from when they were shared: a day later they no longer count', () => {
    const state = [sharedV1].reduce(accessDecider.evolve, accessDecider.initialState());
    const events = accessDecider.decide(
      share({
        accessId: 'a2',
        dailyLimit: 2,
        now: '2026-11-23T10:00:01.000Z',
        recipients: [
          { invitationId: 'i8', email: 'a@x.io', link: link('8') },
          { invitationId: 'i9', email: 'b@x.io', link: link('9') },
        ],
      }),
      state,
    );
    expect(events.map((e) => e.type)).toEqual(['AccessShared']);
  });

  it('an inviter who lost the right an hour after sharing has its invitations revoked (sent before the loss)', () =>
    given([sharedV1])
      .when({
        type: 'RevokeInvitationsOfInviter',
        data: {
          accountId: ids.account,
          inviterId: ids.owner,
          revokedBy: 'u-root',
          lostRightsAt: '2026-11-22T11:00:00.000Z',
        },
      })
      .then([
        { type: 'InvitationRevoked', data: { ...mikeRef, revokedBy: 'u-root', reason: 'inviter_lost_rights' } },
        {
          type: 'InvitationRevoked',
          data: {
            ...mikeRef,
            invitationId: ids.inv2,
            email: 'ann@example.com',
            revokedBy: 'u-root',
            reason: 'inviter_lost_rights',
          },
        },
      ]));

  it('its invitations still expire at the expiresAt it stored', () =>
    given([sharedV1])
      .when({ type: 'ExpireInvitation', data: { invitationId: ids.inv1, now: sevenDaysLater } })
      .then([{ type: 'InvitationExpired', data: { ...mikeRef, expiredAt: sevenDaysLater } }]));
});
