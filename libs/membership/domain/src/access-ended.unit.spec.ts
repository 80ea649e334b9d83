import type { MemberJoinedData, MembershipEvent } from '@accord/contracts';
import { deciderSpec, reactionSpec, recorded } from '@accord/decider-spec';
import { accessEnded } from './access-ended';
import { accountDecider, type AccountCommand, type RemoveAccessMembers } from './account';
import { memberJoiner } from './member-joiner';

// INV-28, INV-29: an access that ends takes the members who joined through it.

const given = deciderSpec(accountDecider);
const acc = 'acc1';
const root = { userId: 'u-root', email: 'root@example.com' };
const created: MembershipEvent = { type: 'AccountCreated', data: { accountId: acc, name: 'Acme', rootOwner: root } };
const joinedData = (
  userId: string,
  accessId: string,
  role: 'administrator' | 'owner' = 'administrator',
): MemberJoinedData => ({
  accountId: acc,
  userId,
  email: `${userId}@example.com`,
  role,
  scope: { type: 'global' },
  accessId,
  invitationId: `i-${userId}`,
});
const joined = (
  userId: string,
  accessId: string,
  role: 'administrator' | 'owner' = 'administrator',
): MembershipEvent => ({
  type: 'MemberJoined',
  data: joinedData(userId, accessId, role),
});
const removedFor = (userId: string, reason: 'access_revoked' | 'access_expired', by = 'u-owner'): MembershipEvent => ({
  type: 'MemberRemoved',
  data: { accountId: acc, userId, email: `${userId}@example.com`, removedBy: by, reason },
});
const removeAccessMembers = (
  accessId: string,
  reason: RemoveAccessMembers['data']['reason'] = 'access_revoked',
  by = 'u-owner',
): AccountCommand => ({ type: 'RemoveAccessMembers', data: { accessId, reason, by } });

describe('RemoveAccessMembers', () => {
  it('removes every member who joined through the access, with the reason', () =>
    given([created, joined('u-mike', 'a1'), joined('u-ann', 'a1'), joined('u-bob', 'a2')])
      .when(removeAccessMembers('a1'))
      .then([removedFor('u-mike', 'access_revoked'), removedFor('u-ann', 'access_revoked')]));

  it('an expired access removes its members with the reason access_expired, on behalf of its sharer', () =>
    given([created, joined('u-mike', 'a1')])
      .when(removeAccessMembers('a1', 'access_expired', 'u-sharer'))
      .then([removedFor('u-mike', 'access_expired', 'u-sharer')]));

  it('members who joined through another access, and the creator, stay', () =>
    given([created, joined('u-bob', 'a2')])
      .when(removeAccessMembers('a1'))
      .thenNothing());

  it('a member who accepted a second access while a member holds only the first: its end does not remove them', () =>
    // The second acceptance adds nothing (MEM-16): the membership came from a1 and stays with it.
    given([created, joined('u-mike', 'a1')])
      .when({ type: 'AddMember', data: joinedData('u-mike', 'a2') })
      .thenNothing());

  it('a second run removes nobody (a redelivered AccessRevoked)', () =>
    given([created, joined('u-mike', 'a1'), removedFor('u-mike', 'access_revoked')])
      .when(removeAccessMembers('a1'))
      .thenNothing());

  it('a member removed and invited again through another access is not removed by the old one', () =>
    given([created, joined('u-mike', 'a1'), removedFor('u-mike', 'access_revoked'), joined('u-mike', 'a2')])
      .when(removeAccessMembers('a1'))
      .thenNothing());

  it('the root owner is never removed, even one who joined through the access', () =>
    given([
      created,
      joined('u-olga', 'a1', 'owner'),
      { type: 'OwnershipTransferred', data: { accountId: acc, from: root.userId, to: 'u-olga' } },
    ])
      .when(removeAccessMembers('a1'))
      .thenNothing());

  it('a joined member keeps the end date of their access', () => {
    const state = [created, joined('u-mike', 'a1')].reduce(accountDecider.evolve, accountDecider.initialState());
    expect(state.status === 'active' && state.members.get('u-mike')?.accessId).toBe('a1');
    const timed: MembershipEvent = {
      type: 'MemberJoined',
      data: { ...joinedData('u-ann', 'a1'), accessExpiresAt: '2027-01-01T00:00:00.000Z' },
    };
    const later = [timed].reduce(accountDecider.evolve, state);
    expect(later.status === 'active' && later.members.get('u-ann')?.accessExpiresAt).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('accessEnded (reaction)', () => {
  const when = reactionSpec(accessEnded)(undefined);

  it('AccessRevoked → remove its members (access_revoked), on behalf of the owner who revoked', () =>
    when
      .when(
        recorded('AccessRevoked', {
          accessId: 'a1',
          accountId: acc,
          revokedBy: 'u-owner',
          revokedAt: '2026-11-23T10:00:00.000Z',
        }),
      )
      .then({ type: 'RemoveAccessMembers', data: { accessId: 'a1', reason: 'access_revoked', by: 'u-owner' } }));

  it('AccessExpired → remove its members (access_expired), on behalf of the sharer', () =>
    when
      .when(
        recorded('AccessExpired', {
          accessId: 'a1',
          accountId: acc,
          sharedBy: 'u-sharer',
          expiredAt: '2026-11-23T10:00:00.000Z',
        }),
      )
      .then({ type: 'RemoveAccessMembers', data: { accessId: 'a1', reason: 'access_expired', by: 'u-sharer' } }));

  it('an accepted time-limited invitation makes a member with the end date', () =>
    expect(
      memberJoiner(
        recorded('InvitationAccepted', {
          accessId: 'a1',
          accountId: acc,
          invitationId: 'i1',
          email: 'mike@example.com',
          userId: 'u-mike',
          role: 'administrator',
          scope: { type: 'global' },
          accessExpiresAt: '2027-01-01T00:00:00.000Z',
        }),
      ).data.accessExpiresAt,
    ).toBe('2027-01-01T00:00:00.000Z'));
});
