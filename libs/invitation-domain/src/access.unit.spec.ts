import type { InvitationEvent, Person } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accessDecider, type AccessCommand } from './access';

const given = deciderSpec(accessDecider);
const now = '2026-11-22T10:00:00.000Z';
const ids = { access: 'a1', account: 'acc1', inv1: 'i1', inv2: 'i2', owner: 'u-owner', mike: 'u-mike' };
const mike: Person = { userId: ids.mike, email: 'mike@example.com', emailVerified: true };

const share = (over: Partial<Extract<AccessCommand, { type: 'ShareAccess' }>['data']> = {}): AccessCommand => ({
  type: 'ShareAccess',
  data: {
    accessId: ids.access,
    accountId: ids.account,
    name: 'Ops team',
    accessType: 'delegate',
    scope: { type: 'global' },
    role: 'administrator',
    recipients: [
      { invitationId: ids.inv1, email: 'Mike@Example.com' },
      { invitationId: ids.inv2, email: 'ann@example.com' },
    ],
    message: null,
    sharedBy: ids.owner,
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
      { invitationId: ids.inv1, email: 'Mike@Example.com' },
      { invitationId: ids.inv2, email: 'ann@example.com' },
    ],
    message: null,
    sharedBy: ids.owner,
    expiresAt: '2026-11-25T10:00:00.000Z',
  },
};

const accept = (person: Person = mike, at = now, invitationId = ids.inv1): AccessCommand => ({
  type: 'AcceptInvitation',
  data: { invitationId, person, now: at },
});

const accepted: InvitationEvent = {
  type: 'InvitationAccepted',
  data: {
    accessId: ids.access,
    accountId: ids.account,
    invitationId: ids.inv1,
    userId: ids.mike,
    email: 'Mike@Example.com',
    role: 'administrator',
    scope: { type: 'global' },
  },
};

describe('ShareAccess', () => {
  it('shares an access with one pending invitation per recipient, valid 72 hours (seed 004: 3 days)', () =>
    given([]).when(share()).then([accessShared]));

  it('trims the access name and recipient e-mails', () =>
    given([])
      .when(share({ name: '  Ops team ', recipients: [{ invitationId: ids.inv1, email: ' Mike@Example.com ' }, { invitationId: ids.inv2, email: 'ann@example.com' }] }))
      .then([accessShared]));

  it('keeps the optional message for the recipient', () => {
    const events = accessDecider.decide(share({ message: 'Welcome aboard' }), accessDecider.initialState());
    expect(events[0]!.type === 'AccessShared' && events[0]!.data.message).toBe('Welcome aboard');
  });

  it('refuses a message over 1000 characters (seed 002 invitation message)', () =>
    given([]).when(share({ message: 'x'.repeat(1001) })).thenThrows('validation', 'access.message_too_long'));

  it('refuses a share without recipients', () =>
    given([]).when(share({ recipients: [] })).thenThrows('validation', 'access.recipients_count'));

  it('refuses more than 50 recipients', () =>
    given([])
      .when(share({ recipients: Array.from({ length: 51 }, (_, i) => ({ invitationId: `i${i}`, email: `p${i}@example.com` })) }))
      .thenThrows('validation', 'access.recipients_count'));

  it('refuses the same recipient twice, whatever the letter case', () =>
    given([])
      .when(share({ recipients: [{ invitationId: 'x', email: 'mike@example.com' }, { invitationId: 'y', email: 'MIKE@example.com' }] }))
      .thenThrows('validation', 'access.recipients_duplicate'));

  it('refuses an empty access name', () => given([]).when(share({ name: '   ' })).thenThrows('validation', 'access.name_invalid'));

  it('refuses API-token accesses until the token service exists', () =>
    given([]).when(share({ accessType: 'api_token' })).thenThrows('validation', 'access.type_unavailable'));

  it('refuses to share the same access twice', () =>
    given([accessShared]).when(share()).thenThrows('conflict', 'access.exists'));
});

describe('AcceptInvitation', () => {
  it('the addressee signed in with the same verified e-mail accepts', () =>
    given([accessShared]).when(accept()).then([accepted]));

  it('e-mails compare case-insensitively after trimming', () =>
    given([accessShared]).when(accept({ ...mike, email: '  MIKE@example.COM ' })).then([accepted]));

  it('a look-alike Unicode address is someone else (mıke ≠ mike)', () =>
    given([accessShared]).when(accept({ ...mike, email: 'mıke@example.com' })).thenThrows('not_found', 'invitation.not_found'));

  it('anyone else gets not-found, never a hint that the invitation exists', () =>
    given([accessShared]).when(accept({ userId: 'u-eve', email: 'eve@example.com', emailVerified: true })).thenThrows('not_found', 'invitation.not_found'));

  it('an unknown invitation id is not found', () =>
    given([accessShared]).when(accept(mike, now, 'nope')).thenThrows('not_found', 'invitation.not_found'));

  it('an unverified e-mail cannot accept', () =>
    given([accessShared]).when(accept({ ...mike, emailVerified: false })).thenThrows('forbidden', 'email.unverified'));

  it('accepting again as the same person changes nothing (double click, retried request)', () =>
    given([accessShared, accepted]).when(accept()).thenNothing());

  it('an invitation accepted by another account of the same e-mail cannot be taken over', () =>
    given([accessShared, accepted]).when(accept({ ...mike, userId: 'u-other' })).thenThrows('conflict', 'invitation.not_pending'));

  it('an expired invitation cannot be accepted', () =>
    given([accessShared]).when(accept(mike, '2026-11-25T10:00:00.000Z')).thenThrows('conflict', 'invitation.expired'));

  it('one recipient accepting leaves the other invitation pending', () => {
    const state = [accessShared, accepted].reduce(accessDecider.evolve, accessDecider.initialState());
    expect(state.status === 'shared' && state.invitations[ids.inv2]!.status).toBe('pending');
  });
});
