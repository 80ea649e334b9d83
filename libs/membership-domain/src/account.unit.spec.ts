import type { AddMemberPayload, MembershipEvent } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accountDecider, type AccountCommand } from './account';

const given = deciderSpec(accountDecider);
const root = { userId: 'u-root', email: 'root@example.com' };
const created: MembershipEvent = { type: 'AccountCreated', data: { accountId: 'acc1', name: 'Acme', rootOwner: root } };
const create = (name = 'Acme'): AccountCommand => ({ type: 'CreateAccount', data: { accountId: 'acc1', name, rootOwner: root } });

const member: AddMemberPayload = {
  accountId: 'acc1',
  userId: 'u-mike',
  email: 'mike@example.com',
  role: 'administrator',
  scope: { type: 'global' },
  accessId: 'a1',
  invitationId: 'i1',
};
const addMember = (over: Partial<AddMemberPayload> = {}): AccountCommand => ({ type: 'AddMember', data: { ...member, ...over } });
const joined: MembershipEvent = { type: 'MemberJoined', data: member };

describe('CreateAccount', () => {
  it('the creating user becomes the root owner (seed 002)', () => given([]).when(create()).then([created]));

  it('trims the account name', () => given([]).when(create('  Acme  ')).then([created]));

  it('refuses an empty name', () => given([]).when(create('  ')).thenThrows('validation', 'account.name_invalid'));

  it('refuses to create an account twice', () => given([created]).when(create()).thenThrows('conflict', 'account.exists'));

  it('the root owner is a member with the owner role', () => {
    const state = [created].reduce(accountDecider.evolve, accountDecider.initialState());
    expect(state.status === 'active' && state.members[root.userId]).toEqual({ ...root, role: 'owner', scope: { type: 'global' } });
  });
});

describe('AddMember (reaction to InvitationAccepted)', () => {
  it('adds the person who accepted as a member with the shared role and scope', () =>
    given([created]).when(addMember()).then([joined]));

  it('a redelivered acceptance adds nobody twice', () => given([created, joined]).when(addMember()).thenNothing());

  it('the root owner accepting a share of their own account stays root owner', () =>
    given([created]).when(addMember({ userId: root.userId, email: root.email })).thenNothing());

  it('an unknown account is not found', () => given([]).when(addMember()).thenThrows('not_found', 'account.not_found'));
});
