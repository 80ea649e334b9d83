import type { AddMemberPayload, MembershipEvent } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accountDecider, type AccountCommand, type MemberChanges } from './account';

const given = deciderSpec(accountDecider);
const acc = 'acc1';
const root = { userId: 'u-root', email: 'root@example.com' };
const created: MembershipEvent = { type: 'AccountCreated', data: { accountId: acc, name: 'Acme', rootOwner: root } };
const create = (name = 'Acme'): AccountCommand => ({
  type: 'CreateAccount',
  data: { accountId: acc, name, rootOwner: root },
});

const joinedAs = (userId: string, role: AddMemberPayload['role'] = 'administrator'): MembershipEvent => ({
  type: 'MemberJoined',
  data: {
    accountId: acc,
    userId,
    email: `${userId}@example.com`,
    role,
    scope: { type: 'global' },
    accessId: 'a1',
    invitationId: `i-${userId}`,
  },
});
const mike = joinedAs('u-mike');
const olga = joinedAs('u-olga', 'owner');
const oscar = joinedAs('u-oscar', 'owner');
const billing: MembershipEvent = {
  type: 'BillingAccountCreated',
  data: { accountId: acc, billingAccountId: 'b1', name: 'EU', createdBy: root.userId },
};

const addMember = (over: Partial<AddMemberPayload> = {}): AccountCommand => ({
  type: 'AddMember',
  data: { ...(mike.data as AddMemberPayload), ...over },
});
const changeMember = (userId: string, changes: MemberChanges, by = root.userId): AccountCommand => ({
  type: 'ChangeMember',
  data: { userId, by, changes },
});
const remove = (userId: string, by = root.userId): AccountCommand => ({ type: 'RemoveMember', data: { userId, by } });
const leave = (userId: string): AccountCommand => ({ type: 'LeaveAccount', data: { userId } });
const transfer = (to: string, by = root.userId): AccountCommand => ({ type: 'TransferOwnership', data: { to, by } });

const removed = (userId: string, by = root.userId): MembershipEvent => ({
  type: 'MemberRemoved',
  data: { accountId: acc, userId, email: `${userId}@example.com`, removedBy: by },
});
const roleChanged = (userId: string, from: string, to: string, by = root.userId): MembershipEvent => ({
  type: 'RoleChanged',
  data: { accountId: acc, userId, email: `${userId}@example.com`, from, to, changedBy: by },
});

describe('CreateAccount', () => {
  it('the creating user becomes the root owner (seed 002)', () => given([]).when(create()).then([created]));
  it('trims the account name', () => given([]).when(create('  Acme  ')).then([created]));
  it('refuses an empty name', () => given([]).when(create('  ')).thenThrows('validation', 'account.name_invalid'));
  it('refuses to create an account twice', () =>
    given([created]).when(create()).thenThrows('conflict', 'account.exists'));
  it('the root owner is a member with the owner role and global scope', () => {
    const state = [created].reduce(accountDecider.evolve, accountDecider.initialState());
    expect(state.status === 'active' && state.members.get(root.userId)).toMatchObject({
      ...root,
      role: 'owner',
      scope: { type: 'global' },
    });
  });
});

describe('AddMember (reaction to InvitationAccepted)', () => {
  it('adds the person who accepted as a member with the shared role and scope', () =>
    given([created]).when(addMember()).then([mike]));
  it('a redelivered acceptance adds nobody twice', () => given([created, mike]).when(addMember()).thenNothing());
  it('the root owner accepting a share of their own account stays root owner', () =>
    given([created])
      .when(addMember({ userId: root.userId, email: root.email }))
      .thenNothing());
  it('an unknown account is not found', () => given([]).when(addMember()).thenThrows('not_found', 'account.not_found'));
});

describe('ChangeMember: roles (seed 004 "Changing roles": owner only)', () => {
  it('an owner changes a member’s role', () =>
    given([created, mike])
      .when(changeMember('u-mike', { role: 'accountant' }))
      .then([roleChanged('u-mike', 'administrator', 'accountant')]));
  it('an administrator cannot change roles', () =>
    given([created, mike, joinedAs('u-ann')])
      .when(changeMember('u-ann', { role: 'accountant' }, 'u-mike'))
      .thenThrows('forbidden', 'users.owner_only'));
  it('an administrator cannot widen their own role (no escalation)', () =>
    given([created, mike])
      .when(changeMember('u-mike', { role: 'owner' }, 'u-mike'))
      .thenThrows('forbidden', 'users.owner_only'));
  it('an owner creates an Owner (seed 004 "Ability to create an Owner role")', () =>
    given([created, mike])
      .when(changeMember('u-mike', { role: 'owner' }))
      .then([roleChanged('u-mike', 'administrator', 'owner')]));
  it('the root owner cannot be demoted', () =>
    given([created, olga])
      .when(changeMember(root.userId, { role: 'administrator' }, 'u-olga'))
      .thenThrows('conflict', 'member.root_owner'));
  // Issue 8 rule 9 (was root-only): demoting follows the removal rule; every pair is in owner-rules.unit.spec.ts.
  it('any owner removes the Owner role from another owner who is not the root', () =>
    given([created, olga, oscar])
      .when(changeMember('u-oscar', { role: 'administrator' }, 'u-olga'))
      .then([roleChanged('u-oscar', 'owner', 'administrator', 'u-olga')]));
  it('the root removes the Owner role from another owner', () =>
    given([created, olga])
      .when(changeMember('u-olga', { role: 'administrator' }))
      .then([roleChanged('u-olga', 'owner', 'administrator')]));
  it('an unknown role is refused', () =>
    given([created, mike])
      .when(changeMember('u-mike', { role: 'wizard' }))
      .thenThrows('validation', 'role.unknown'));
  it('a custom role of the account can be given', () =>
    given([
      created,
      mike,
      {
        type: 'CustomRoleDefined',
        data: { accountId: acc, name: 'dns-admin', permissions: ['dns:manage'], definedBy: root.userId },
      },
    ])
      .when(changeMember('u-mike', { role: 'dns-admin' }))
      .then([roleChanged('u-mike', 'administrator', 'dns-admin')]));
  it('the same role again changes nothing', () =>
    given([created, mike])
      .when(changeMember('u-mike', { role: 'administrator' }))
      .thenNothing());
  it('a former member’s late change is refused: they are no longer an owner', () =>
    given([created, olga, mike, removed('u-olga')])
      .when(changeMember('u-mike', { role: 'accountant' }, 'u-olga'))
      .thenThrows('forbidden', 'users.owner_only'));
});

describe('ChangeMember: permissions, scope, names, environments (seeds 001, 003)', () => {
  it('an owner grants permissions (stored as given: already expanded by the caller)', () =>
    given([created, mike])
      .when(changeMember('u-mike', { permissions: ['servers:read', 'ssh-keys:read'] }))
      .then([
        {
          type: 'MemberPermissionsChanged',
          data: {
            accountId: acc,
            userId: 'u-mike',
            permissions: ['servers:read', 'ssh-keys:read'],
            changedBy: root.userId,
          },
        },
      ]));
  it('restricts a member to one billing account', () =>
    given([created, billing, mike])
      .when(changeMember('u-mike', { scope: { type: 'restricted', billingAccountId: 'b1' } }))
      .then([
        {
          type: 'MemberScopeChanged',
          data: {
            accountId: acc,
            userId: 'u-mike',
            scope: { type: 'restricted', billingAccountId: 'b1' },
            changedBy: root.userId,
          },
        },
      ]));
  it('an unknown billing account cannot be the scope', () =>
    given([created, mike])
      .when(changeMember('u-mike', { scope: { type: 'restricted', billingAccountId: 'nope' } }))
      .thenThrows('validation', 'billing_account.not_found'));
  it('owners always have global scope', () =>
    given([created, billing, olga])
      .when(changeMember('u-olga', { scope: { type: 'restricted', billingAccountId: 'b1' } }))
      .thenThrows('conflict', 'scope.owner_global'));
  it('the owner names the member (seed 001 "Display name")', () =>
    given([created, mike])
      .when(changeMember('u-mike', { displayName: '  Mike from ops ' }))
      .then([
        {
          type: 'MemberDisplayNameChanged',
          data: { accountId: acc, userId: 'u-mike', displayName: 'Mike from ops', changedBy: root.userId },
        },
      ]));
  it('allows the member to create environments (seed 001)', () =>
    given([created, mike])
      .when(changeMember('u-mike', { mayCreateEnvironments: true }))
      .then([
        {
          type: 'EnvironmentCreationChanged',
          data: { accountId: acc, userId: 'u-mike', mayCreateEnvironments: true, changedBy: root.userId },
        },
      ]));
  it('a member names the account for themselves (seed 001 "Edit Name")', () =>
    given([created, mike])
      .when({ type: 'NameAccount', data: { userId: 'u-mike', displayName: 'Acme (prod)' } })
      .then([
        { type: 'AccountDisplayNameChanged', data: { accountId: acc, userId: 'u-mike', displayName: 'Acme (prod)' } },
      ]));
  it('a non-member cannot name the account', () =>
    given([created])
      .when({ type: 'NameAccount', data: { userId: 'u-x', displayName: 'x' } })
      .thenThrows('not_found', 'member.not_found'));
});

describe('RemoveMember (seed 001 "Unlink", seed 004 "Remove user from team")', () => {
  it('an owner removes a member', () =>
    given([created, mike])
      .when(remove('u-mike'))
      .then([removed('u-mike')]));
  it('the root owner cannot be removed (seed 002)', () =>
    given([created, olga]).when(remove(root.userId, 'u-olga')).thenThrows('conflict', 'member.root_owner'));
  it('an administrator cannot remove anyone', () =>
    given([created, mike, joinedAs('u-ann')])
      .when(remove('u-ann', 'u-mike'))
      .thenThrows('forbidden', 'users.owner_only'));
  it('removing a non-member is not found', () =>
    given([created]).when(remove('u-x')).thenThrows('not_found', 'member.not_found'));
  it('two owners removing each other leave one: the second removal comes from a non-member', () =>
    given([created, olga, oscar, removed('u-oscar', 'u-olga')])
      .when(remove('u-olga', 'u-oscar'))
      .thenThrows('forbidden', 'users.owner_only'));
  it('an owner removes themselves by leaving, not by removal', () =>
    given([created, olga]).when(remove('u-olga', 'u-olga')).thenThrows('conflict', 'member.remove_self'));
});

describe('LeaveAccount (seed 001 "Leave", seed 004 "Remove yourself": every role)', () => {
  it('a member leaves', () =>
    given([created, mike])
      .when(leave('u-mike'))
      .then([{ type: 'MemberLeft', data: { accountId: acc, userId: 'u-mike', email: 'u-mike@example.com' } }]));
  it('a non-root owner leaves', () =>
    given([created, olga])
      .when(leave('u-olga'))
      .then([{ type: 'MemberLeft', data: { accountId: acc, userId: 'u-olga', email: 'u-olga@example.com' } }]));
  it('the root owner cannot leave (there is always an owner)', () =>
    given([created]).when(leave(root.userId)).thenThrows('conflict', 'member.root_cannot_leave'));
  it('someone who already left cannot leave again', () =>
    given([
      created,
      mike,
      { type: 'MemberLeft', data: { accountId: acc, userId: 'u-mike', email: 'u-mike@example.com' } },
    ])
      .when(leave('u-mike'))
      .thenThrows('not_found', 'member.not_found'));
});

describe('TransferOwnership (seed 004 "Ability to transfer the Owner role")', () => {
  it('the root makes a member the root; the member becomes an owner and the previous root stays one', () => {
    given([created, mike])
      .when(transfer('u-mike'))
      .then([
        roleChanged('u-mike', 'administrator', 'owner'),
        { type: 'OwnershipTransferred', data: { accountId: acc, from: root.userId, to: 'u-mike' } },
      ]);
    const state = [
      created,
      mike,
      roleChanged('u-mike', 'administrator', 'owner'),
      { type: 'OwnershipTransferred', data: { accountId: acc, from: root.userId, to: 'u-mike' } } as MembershipEvent,
    ].reduce(accountDecider.evolve, accountDecider.initialState());
    expect(state.status === 'active' && [state.rootOwnerId, state.members.get(root.userId)!.role]).toEqual([
      'u-mike',
      'owner',
    ]);
  });
  it('a restricted member becomes global as they become root', () =>
    given([
      created,
      billing,
      {
        type: 'MemberJoined',
        data: { ...(mike.data as AddMemberPayload), scope: { type: 'restricted', billingAccountId: 'b1' } },
      },
    ])
      .when(transfer('u-mike'))
      .then([
        roleChanged('u-mike', 'administrator', 'owner'),
        {
          type: 'MemberScopeChanged',
          data: { accountId: acc, userId: 'u-mike', scope: { type: 'global' }, changedBy: root.userId },
        },
        { type: 'OwnershipTransferred', data: { accountId: acc, from: root.userId, to: 'u-mike' } },
      ]));
  it('only the root transfers ownership', () =>
    given([created, olga, mike]).when(transfer('u-mike', 'u-olga')).thenThrows('forbidden', 'ownership.root_only'));
  it('the new root must be a member: "transfer to X" after "remove X" fails and root is unchanged', () =>
    given([created, mike, removed('u-mike')])
      .when(transfer('u-mike'))
      .thenThrows('not_found', 'member.not_found'));
  it('"remove X" after "transfer to X" fails: X is the root now', () =>
    given([
      created,
      olga,
      mike,
      roleChanged('u-mike', 'administrator', 'owner'),
      { type: 'OwnershipTransferred', data: { accountId: acc, from: root.userId, to: 'u-mike' } },
    ])
      .when(remove('u-mike', 'u-olga'))
      .thenThrows('conflict', 'member.root_owner'));
  it('after a transfer the previous root can be demoted by the new root', () =>
    given([created, olga, { type: 'OwnershipTransferred', data: { accountId: acc, from: root.userId, to: 'u-olga' } }])
      .when(changeMember(root.userId, { role: 'administrator' }, 'u-olga'))
      .then([
        {
          type: 'RoleChanged',
          data: {
            accountId: acc,
            userId: root.userId,
            email: root.email,
            from: 'owner',
            to: 'administrator',
            changedBy: 'u-olga',
          },
        },
      ]));
});

describe('Billing accounts and custom roles', () => {
  it('an owner creates a billing account', () =>
    given([created])
      .when({ type: 'CreateBillingAccount', data: { billingAccountId: 'b1', name: ' EU ', by: root.userId } })
      .then([billing]));
  it('creating the same billing account again changes nothing', () =>
    given([created, billing])
      .when({ type: 'CreateBillingAccount', data: { billingAccountId: 'b1', name: 'EU', by: root.userId } })
      .thenNothing());
  it('a non-owner cannot create billing accounts', () =>
    given([created, mike])
      .when({ type: 'CreateBillingAccount', data: { billingAccountId: 'b2', name: 'US', by: 'u-mike' } })
      .thenThrows('forbidden', 'users.owner_only'));
  it('an owner defines a custom role', () =>
    given([created])
      .when({ type: 'DefineCustomRole', data: { name: 'dns-admin', permissions: ['dns:manage'], by: root.userId } })
      .then([
        {
          type: 'CustomRoleDefined',
          data: { accountId: acc, name: 'dns-admin', permissions: ['dns:manage'], definedBy: root.userId },
        },
      ]));
  it('a custom role cannot take a built-in name', () =>
    given([created])
      .when({ type: 'DefineCustomRole', data: { name: 'owner', permissions: [], by: root.userId } })
      .thenThrows('conflict', 'role.builtin'));
});
