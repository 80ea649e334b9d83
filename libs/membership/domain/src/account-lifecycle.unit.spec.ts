import type { AddMemberPayload, AuthzCheckPayload, MembershipEvent, Scope } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accountDecider, type AccountCommand, type ActiveAccount } from './account';
import { ACCOUNT_CLOSED, evaluateMember } from './authz/evaluate-member';

// MEM-21 to MEM-27: renaming and closing an account, renaming and deleting billing accounts,
// deleting custom roles.
const given = deciderSpec(accountDecider);
const acc = 'acc1';
const root = { userId: 'u-root', email: 'root@example.com' };
const created: MembershipEvent = { type: 'AccountCreated', data: { accountId: acc, name: 'Acme', rootOwner: root } };

const joined = (
  userId: string,
  role: AddMemberPayload['role'],
  scope: Scope = { type: 'global' },
): MembershipEvent => ({
  type: 'MemberJoined',
  data: {
    accountId: acc,
    userId,
    email: `${userId}@example.com`,
    role,
    scope,
    accessId: 'a1',
    invitationId: `i-${userId}`,
  },
});
const mike = joined('u-mike', 'administrator');
const olga = joined('u-olga', 'owner');
const billing: MembershipEvent = {
  type: 'BillingAccountCreated',
  data: { accountId: acc, billingAccountId: 'b1', name: 'EU', createdBy: root.userId },
};
const restrictedAnn = joined('u-ann', 'accountant', { type: 'restricted', billingAccountId: 'b1' });
const role: MembershipEvent = {
  type: 'CustomRoleDefined',
  data: { accountId: acc, name: 'dns-admin', permissions: ['dns:manage', 'dns:read'], definedBy: root.userId },
};
const mikeHoldsRole: MembershipEvent = {
  type: 'RoleChanged',
  data: {
    accountId: acc,
    userId: 'u-mike',
    email: 'u-mike@example.com',
    from: 'administrator',
    to: 'dns-admin',
    changedBy: root.userId,
  },
};

const rename = (name: string, by = root.userId): AccountCommand => ({ type: 'RenameAccount', data: { name, by } });
const close = (confirmName: string, by = root.userId, via: 'session' | 'api_token' = 'session'): AccountCommand => ({
  type: 'CloseAccount',
  data: { confirmName, by, via },
});
const renameBilling = (name: string, by = root.userId, billingAccountId = 'b1'): AccountCommand => ({
  type: 'RenameBillingAccount',
  data: { billingAccountId, name, by },
});
const deleteBilling = (by = root.userId, billingAccountId = 'b1'): AccountCommand => ({
  type: 'DeleteBillingAccount',
  data: { billingAccountId, by },
});
const deleteRole = (name = 'dns-admin', by = root.userId): AccountCommand => ({
  type: 'DeleteCustomRole',
  data: { name, by },
});

const closedBy = (members: readonly string[]): MembershipEvent[] => [
  ...members.map((userId): MembershipEvent => ({
    type: 'MemberRemoved',
    data: {
      accountId: acc,
      userId,
      email: `${userId}@example.com`,
      removedBy: root.userId,
      reason: 'account_closed',
    },
  })),
  { type: 'AccountClosed', data: { accountId: acc, name: 'Acme', closedBy: root.userId } },
];

const stateOf = (events: readonly MembershipEvent[]) =>
  events.reduce(accountDecider.evolve, accountDecider.initialState()) as ActiveAccount;

describe('RenameAccount (MEM-21)', () => {
  it('an owner renames the account, trimmed', () =>
    given([created, olga])
      .when(rename('  Acme Europe ', 'u-olga'))
      .then([{ type: 'AccountRenamed', data: { accountId: acc, name: 'Acme Europe', renamedBy: 'u-olga' } }]));
  it('renaming to the same name changes nothing', () => given([created]).when(rename('Acme')).thenNothing());
  it('a non-owner cannot rename the account', () =>
    given([created, mike]).when(rename('Mine', 'u-mike')).thenThrows('forbidden', 'users.owner_only'));
  it('an empty or too long name is refused', () => {
    given([created]).when(rename('   ')).thenThrows('validation', 'account.name_invalid');
    given([created])
      .when(rename('x'.repeat(101)))
      .thenThrows('validation', 'name.too_long');
  });
  it('the new name is the account’s name from then on', () =>
    expect(
      stateOf([created, { type: 'AccountRenamed', data: { accountId: acc, name: 'Acme EU', renamedBy: root.userId } }])
        .name,
    ).toBe('Acme EU'));
});

describe('CloseAccount (MEM-22, MEM-23)', () => {
  it('the root owner closes the account: every other member is removed, then AccountClosed', () =>
    given([created, mike, olga])
      .when(close('Acme'))
      .then(closedBy(['u-mike', 'u-olga'])));
  it('the confirmation is compared trimmed', () => given([created]).when(close('  Acme ')).then(closedBy([])));
  it('a wrong confirmation name is refused, naming the field', () => {
    given([created, mike]).when(close('acme')).thenThrows('validation', 'account.confirm_name_mismatch');
    given([created, mike]).when(close('Other')).thenThrows('validation', 'account.confirm_name_mismatch');
  });
  it('the confirmation is the current name, after a rename', () =>
    given([created, { type: 'AccountRenamed', data: { accountId: acc, name: 'Acme EU', renamedBy: root.userId } }])
      .when(close('Acme'))
      .thenThrows('validation', 'account.confirm_name_mismatch'));
  it('an owner who is not the root cannot close the account', () =>
    given([created, olga]).when(close('Acme', 'u-olga')).thenThrows('forbidden', 'account.root_only'));
  it('a member who is not an owner cannot close the account', () =>
    given([created, mike]).when(close('Acme', 'u-mike')).thenThrows('forbidden', 'users.owner_only'));
  it('an API token cannot close the account, even the root owner’s', () =>
    given([created])
      .when(close('Acme', root.userId, 'api_token'))
      .thenThrows('forbidden', 'account.close_signed_in'));
  it('after closing, only the root owner is left and the account is closed', () => {
    const state = stateOf([created, mike, olga, ...closedBy(['u-mike', 'u-olga'])]);
    expect([...state.members.keys()]).toEqual([root.userId]);
    expect(state.closed).toBe(true);
  });
});

describe('A closed account (MEM-24)', () => {
  const closed = [created, billing, role, mike, ...closedBy(['u-mike'])];
  it('answers every command with gone', () => {
    const commands: AccountCommand[] = [
      rename('New'),
      close('Acme'),
      renameBilling('New'),
      deleteBilling(),
      deleteRole(),
      { type: 'CreateBillingAccount', data: { billingAccountId: 'b2', name: 'US', by: root.userId } },
      { type: 'DefineCustomRole', data: { name: 'x', permissions: [], by: root.userId } },
      { type: 'AddMember', data: mike.data as AddMemberPayload },
      { type: 'NameAccount', data: { userId: root.userId, displayName: 'Mine' } },
      { type: 'LeaveAccount', data: { userId: root.userId } },
      { type: 'TransferOwnership', data: { to: 'u-mike', by: root.userId } },
    ];
    for (const command of commands) given(closed).when(command).thenThrows('gone', 'account.closed');
  });
  it('is read-only in the authorization check: reads are allowed, nothing else', () => {
    const state = stateOf(closed);
    const rootMember = state.members.get(root.userId)!;
    const asked = (permission: string): Pick<AuthzCheckPayload, 'permission'> => ({ permission });
    expect(evaluateMember(state, rootMember, asked('users:read')).allowed).toBe(true);
    expect(evaluateMember(state, rootMember, asked('users:manage'))).toEqual({
      allowed: false,
      reason: ACCOUNT_CLOSED,
    });
    expect(evaluateMember(state, rootMember, asked('servers:transfer')).allowed).toBe(false);
  });
});

describe('RenameBillingAccount (MEM-25)', () => {
  it('an owner renames a billing account', () =>
    given([created, billing])
      .when(renameBilling(' EU invoices '))
      .then([
        {
          type: 'BillingAccountRenamed',
          data: { accountId: acc, billingAccountId: 'b1', name: 'EU invoices', renamedBy: root.userId },
        },
      ]));
  it('renaming a billing account to its name changes nothing', () =>
    given([created, billing]).when(renameBilling('EU')).thenNothing());
  it('an unknown billing account is not found', () =>
    given([created, billing])
      .when(renameBilling('X', root.userId, 'b-other'))
      .thenThrows('not_found', 'billing_account.not_found'));
  it('a non-owner cannot rename a billing account', () =>
    given([created, billing, mike]).when(renameBilling('X', 'u-mike')).thenThrows('forbidden', 'users.owner_only'));
  it('an empty name is refused', () =>
    given([created, billing]).when(renameBilling(' ')).thenThrows('validation', 'billing_account.name_invalid'));
});

describe('DeleteBillingAccount (MEM-26)', () => {
  const deleted: MembershipEvent = {
    type: 'BillingAccountDeleted',
    data: { accountId: acc, billingAccountId: 'b1', deletedBy: root.userId },
  };
  it('an owner deletes a billing account nobody is restricted to', () =>
    given([created, billing, mike]).when(deleteBilling()).then([deleted]));
  it('deleting a billing account a member is restricted to is refused', () =>
    given([created, billing, restrictedAnn]).when(deleteBilling()).thenThrows('conflict', 'billing_account.in_use'));
  it('once the member is global again it can be deleted', () =>
    given([
      created,
      billing,
      restrictedAnn,
      {
        type: 'MemberScopeChanged',
        data: { accountId: acc, userId: 'u-ann', scope: { type: 'global' }, changedBy: root.userId },
      },
    ])
      .when(deleteBilling())
      .then([deleted]));
  it('an unknown or already deleted billing account is not found', () => {
    given([created]).when(deleteBilling()).thenThrows('not_found', 'billing_account.not_found');
    given([created, billing, deleted]).when(deleteBilling()).thenThrows('not_found', 'billing_account.not_found');
  });
  it('a non-owner cannot delete a billing account', () =>
    given([created, billing, mike]).when(deleteBilling('u-mike')).thenThrows('forbidden', 'users.owner_only'));
  it('a deleted billing account can no longer be a scope', () =>
    given([created, billing, mike, deleted])
      .when({
        type: 'ChangeMember',
        data: { userId: 'u-mike', by: root.userId, changes: { scope: { type: 'restricted', billingAccountId: 'b1' } } },
      })
      .thenThrows('validation', 'billing_account.not_found'));
});

describe('DeleteCustomRole (MEM-27)', () => {
  const deleted: MembershipEvent = {
    type: 'CustomRoleDeleted',
    data: { accountId: acc, name: 'dns-admin', deletedBy: root.userId },
  };
  it('an owner deletes a custom role nobody holds', () =>
    given([created, role, mike]).when(deleteRole()).then([deleted]));
  it('deleting a custom role a member holds is refused', () =>
    given([created, role, mike, mikeHoldsRole]).when(deleteRole()).thenThrows('conflict', 'role.in_use'));
  it('an unknown custom role, a built-in role or a deleted one is not found', () => {
    given([created]).when(deleteRole()).thenThrows('not_found', 'role.not_found');
    given([created]).when(deleteRole('administrator')).thenThrows('not_found', 'role.not_found');
    given([created]).when(deleteRole('constructor')).thenThrows('not_found', 'role.not_found');
    given([created, role, deleted]).when(deleteRole()).thenThrows('not_found', 'role.not_found');
  });
  it('a non-owner cannot delete a custom role', () =>
    given([created, role, mike]).when(deleteRole('dns-admin', 'u-mike')).thenThrows('forbidden', 'users.owner_only'));
  it('a deleted custom role can no longer be given', () =>
    given([created, role, mike, deleted])
      .when({ type: 'ChangeMember', data: { userId: 'u-mike', by: root.userId, changes: { role: 'dns-admin' } } })
      .thenThrows('validation', 'role.unknown'));
});
