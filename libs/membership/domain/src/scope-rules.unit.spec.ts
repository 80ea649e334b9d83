import type { AddMemberPayload, MembershipEvent, Scope } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accountDecider, type AccountCommand, type MemberChanges } from './account';

// Issue 8 rule 10: "owners are always global" and "a restricted scope names an existing billing
// account" hold in the Account decider on EVERY path that sets a role or a scope — an accepted
// invitation (AddMember), a member change, a transfer — whatever the gateway checked before.

const given = deciderSpec(accountDecider);
const acc = 'acc1';
const root = 'u-root';
const b1: Scope = { type: 'restricted', billingAccountId: 'b1' };
const created: MembershipEvent = {
  type: 'AccountCreated',
  data: { accountId: acc, name: 'Acme', rootOwner: { userId: root, email: 'root@x.io' } },
};
const billing: MembershipEvent = {
  type: 'BillingAccountCreated',
  data: { accountId: acc, billingAccountId: 'b1', name: 'EU', createdBy: root },
};
const accepted = (over: Partial<AddMemberPayload> = {}): AddMemberPayload => ({
  accountId: acc,
  userId: 'u-mike',
  email: 'u-mike@x.io',
  role: 'administrator',
  scope: { type: 'global' },
  accessId: 'a1',
  invitationId: 'i1',
  ...over,
});
const add = (over: Partial<AddMemberPayload> = {}): AccountCommand => ({ type: 'AddMember', data: accepted(over) });
const joined = (over: Partial<AddMemberPayload> = {}): MembershipEvent => ({
  type: 'MemberJoined',
  data: accepted(over),
});
const change = (changes: MemberChanges): AccountCommand => ({
  type: 'ChangeMember',
  data: { userId: 'u-mike', by: root, changes },
});
const roleChanged = (from: string, to: string): MembershipEvent => ({
  type: 'RoleChanged',
  data: { accountId: acc, userId: 'u-mike', email: 'u-mike@x.io', from, to, changedBy: root },
});
const scopeChanged = (scope: Scope): MembershipEvent => ({
  type: 'MemberScopeChanged',
  data: { accountId: acc, userId: 'u-mike', scope, changedBy: root },
});

describe('AddMember: an accepted invitation joins within the rules (issue 8 rule 10)', () => {
  it('an owner joins with global scope whatever the invitation said', () =>
    given([created, billing])
      .when(add({ role: 'owner', scope: b1 }))
      .then([joined({ role: 'owner', scope: { type: 'global' } })]));
  it('a member joins restricted to a billing account of the account', () =>
    given([created, billing])
      .when(add({ scope: b1 }))
      .then([joined({ scope: b1 })]));
  // Joining global would widen the grant, joining with nothing is not a membership: refused (the
  // member-joiner reactor logs the refusal and moves on).
  it('a restricted scope naming no billing account of the account adds nobody', () =>
    given([created])
      .when(add({ scope: b1 }))
      .thenThrows('conflict', 'billing_account.not_found'));
  it('a malformed scope is refused', () =>
    given([created])
      .when(add({ scope: { type: 'everything' } as unknown as Scope }))
      .thenThrows('validation', 'scope.invalid'));
  it('a restricted scope without a billing account id is refused', () =>
    given([created])
      .when(add({ scope: { type: 'restricted' } as unknown as Scope }))
      .thenThrows('validation', 'scope.invalid'));
  it('only the scope’s own fields are recorded', () =>
    given([created, billing])
      .when(add({ scope: { ...b1, extra: 'x' } as Scope }))
      .then([joined({ scope: b1 })]));
  it('a role that is not built in is refused', () =>
    given([created])
      .when(add({ role: 'wizard' as AddMemberPayload['role'] }))
      .thenThrows('validation', 'role.unknown'));
});

describe('ChangeMember: owners are global, scopes name existing billing accounts (issue 8 rule 10)', () => {
  it('making a restricted member an owner makes them global in the same decision', () =>
    given([created, billing, joined({ scope: b1 })])
      .when(change({ role: 'owner' }))
      .then([roleChanged('administrator', 'owner'), scopeChanged({ type: 'global' })]));
  it('making a restricted member an owner with global scope given records one scope change', () =>
    given([created, billing, joined({ scope: b1 })])
      .when(change({ role: 'owner', scope: { type: 'global' } }))
      .then([roleChanged('administrator', 'owner'), scopeChanged({ type: 'global' })]));
  it('making a member an owner restricted to a billing account is refused', () =>
    given([created, billing, joined()])
      .when(change({ role: 'owner', scope: b1 }))
      .thenThrows('conflict', 'scope.owner_global'));
  it('restricting an owner is refused', () =>
    given([created, billing, joined({ role: 'owner' })])
      .when(change({ scope: b1 }))
      .thenThrows('conflict', 'scope.owner_global'));
  it('demoting an owner and restricting them in one change is allowed', () =>
    given([created, billing, joined({ role: 'owner' })])
      .when(change({ role: 'administrator', scope: b1 }))
      .then([roleChanged('owner', 'administrator'), scopeChanged(b1)]));
  it('a restricted scope naming no billing account of the account is refused', () =>
    given([created, joined()])
      .when(change({ scope: b1 }))
      .thenThrows('validation', 'billing_account.not_found'));
  it('a malformed scope is refused', () =>
    given([created, joined()])
      .when(change({ scope: { type: 'restricted', billingAccountId: 7 } as unknown as Scope }))
      .thenThrows('validation', 'scope.invalid'));
  it('the same scope again changes nothing', () =>
    given([created, billing, joined({ scope: b1 })])
      .when(change({ scope: { ...b1 } }))
      .thenNothing());
});
