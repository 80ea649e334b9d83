import type { AddMemberPayload, MembershipEvent } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accountDecider, type AccountCommand } from './account';

// Issue 8 rule 1: `DELETE /v1/accounts/{id}/members/constructor` stored a MemberRemoved with no
// userId, because the state was a plain object and `members['constructor']` is
// Object.prototype.constructor. User ids and role names are outside input: a name that is a member
// of Object.prototype must be "not found" / "unknown" like any other, and decide nothing.

const given = deciderSpec(accountDecider);
const acc = 'acc1';
const root = 'u-root';
const created: MembershipEvent = {
  type: 'AccountCreated',
  data: { accountId: acc, name: 'Acme', rootOwner: { userId: root, email: 'root@x.io' } },
};
const joinedData = (userId: string): AddMemberPayload => ({
  accountId: acc,
  userId,
  email: `${userId}@x.io`,
  role: 'administrator',
  scope: { type: 'global' },
  accessId: 'a1',
  invitationId: `i-${userId}`,
});
const mike: MembershipEvent = { type: 'MemberJoined', data: joinedData('u-mike') };
const history = [created, mike];

const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;

describe.each(PROTOTYPE_KEYS)(
  'a user id, role name or billing account id "%s" is not found (issue 8 rule 1)',
  (key) => {
    const change = (userId: string, changes: object, by = root): AccountCommand => ({
      type: 'ChangeMember',
      data: { userId, by, changes },
    });

    it('removing that user is not found and stores nothing', () =>
      given(history)
        .when({ type: 'RemoveMember', data: { userId: key, by: root } })
        .thenThrows('not_found', 'member.not_found'));
    it('changing that user’s role is not found', () =>
      given(history)
        .when(change(key, { role: 'accountant' }))
        .thenThrows('not_found', 'member.not_found'));
    it('transferring ownership to that user is not found', () =>
      given(history)
        .when({ type: 'TransferOwnership', data: { to: key, by: root } })
        .thenThrows('not_found', 'member.not_found'));
    it('that user cannot leave', () =>
      given(history)
        .when({ type: 'LeaveAccount', data: { userId: key } })
        .thenThrows('not_found', 'member.not_found'));
    it('that user cannot name the account', () =>
      given(history)
        .when({ type: 'NameAccount', data: { userId: key, displayName: 'x' } })
        .thenThrows('not_found', 'member.not_found'));
    it('that user acting is not an owner', () =>
      given(history)
        .when({ type: 'RemoveMember', data: { userId: 'u-mike', by: key } })
        .thenThrows('forbidden', 'users.owner_only'));
    it('that role is unknown until the account defines it', () =>
      given(history)
        .when(change('u-mike', { role: key }))
        .thenThrows('validation', 'role.unknown'));
    it('that billing account does not exist', () =>
      given(history)
        .when(change('u-mike', { scope: { type: 'restricted', billingAccountId: key } }))
        .thenThrows('validation', 'billing_account.not_found'));
    it('an accepted invitation restricted to that billing account adds nobody', () =>
      given([created])
        .when({
          type: 'AddMember',
          data: { ...joinedData('u-ann'), scope: { type: 'restricted', billingAccountId: key } },
        })
        .thenThrows('conflict', 'billing_account.not_found'));
    it('a member who left under that id leaves the state as it was', () => {
      const state = [
        ...history,
        { type: 'MemberLeft', data: { accountId: acc, userId: key, email: 'x@x.io' } } as MembershipEvent,
      ].reduce(accountDecider.evolve, accountDecider.initialState());
      expect(state.status === 'active' && [...state.members.keys()]).toEqual([root, 'u-mike']);
    });
    it('a person whose id is that string is a member like any other, and removing them names them', () =>
      given([created, { type: 'MemberJoined', data: joinedData(key) }])
        .when({ type: 'RemoveMember', data: { userId: key, by: root } })
        .then([
          { type: 'MemberRemoved', data: { accountId: acc, userId: key, email: `${key}@x.io`, removedBy: root } },
        ]));
  },
);

describe('custom roles and billing accounts named like Object.prototype members (issue 8 rule 1)', () => {
  it('a custom role named "constructor" can be defined and given', () =>
    given([
      ...history,
      {
        type: 'CustomRoleDefined',
        data: { accountId: acc, name: 'constructor', permissions: ['dns:read'], definedBy: root },
      },
    ])
      .when({ type: 'ChangeMember', data: { userId: 'u-mike', by: root, changes: { role: 'constructor' } } })
      .then([
        {
          type: 'RoleChanged',
          data: {
            accountId: acc,
            userId: 'u-mike',
            email: 'u-mike@x.io',
            from: 'administrator',
            to: 'constructor',
            changedBy: root,
          },
        },
      ]));
  it('a billing account with id "constructor" is created once', () =>
    given(history)
      .when({ type: 'CreateBillingAccount', data: { billingAccountId: 'constructor', name: 'EU', by: root } })
      .then([
        {
          type: 'BillingAccountCreated',
          data: { accountId: acc, billingAccountId: 'constructor', name: 'EU', createdBy: root },
        },
      ]));
});
