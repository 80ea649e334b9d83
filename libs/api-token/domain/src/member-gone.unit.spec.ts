import { reactionSpec, recorded } from '@accord/decider-spec';
import { memberGone, type TokenRevocation } from './member-gone';

const account = 'acc1';
const removed = recorded(
  'MemberRemoved',
  { accountId: account, userId: 'u-mike', email: 'mike@example.com', removedBy: 'u-root' },
  { actor: { userId: 'u-root', via: 'session' } },
);
const left = recorded(
  'MemberLeft',
  { accountId: account, userId: 'u-mike', email: 'mike@example.com' },
  { actor: { userId: 'u-mike', via: 'session' } },
);
const revoke = (tokenId: string, reason: 'member_removed' | 'member_left', by: string): TokenRevocation => ({
  tokenId,
  command: { type: 'RevokeForMember', data: { userId: 'u-mike', reason, by } },
});
const given = reactionSpec(memberGone);

describe('member gone → its tokens are revoked', () => {
  it('a removed member: each of their live tokens is revoked, reason member_removed, by whoever removed them', () =>
    given(['t1', 't2'])
      .when(removed)
      .then([revoke('t1', 'member_removed', 'u-root'), revoke('t2', 'member_removed', 'u-root')]));

  it('a member who leaves: each of their live tokens is revoked, reason member_left, by themselves', () =>
    given(['t1'])
      .when(left)
      .then([revoke('t1', 'member_left', 'u-mike')]));

  it('a member with no live token: nothing to revoke', () => given([]).when(removed).thenNothing());

  it('the actor of the cause is the revoker, even an API token acting for an owner', () =>
    given(['t1'])
      .when({ ...removed, actor: { userId: 'u-root', via: 'api_token', tokenId: 'tok-root' } })
      .then([revoke('t1', 'member_removed', 'u-root')]));
});
