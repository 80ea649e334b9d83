import type { MembershipEvent } from '@accord/contracts';
import type { EventStore } from '@accord/eventstore';
import { evaluateMember, evolveAccount, initialAccountState } from '@accord/membership-domain';
import { AuthzIndex } from './authz-index';
import { accountEnvelope } from './test-fixtures/account-envelope';

// The index applies each event's change in place; the state it holds is the one `evolveAccount`
// folds copy-on-write, event after event, and its checks are the evaluator's answers on it.

const acc = 'acc1';
const joined = (
  userId: string,
  role: string,
  scope: { type: 'global' } | { type: 'restricted'; billingAccountId: string },
) =>
  ({
    type: 'MemberJoined',
    data: { accountId: acc, userId, email: `${userId}@x.io`, role, scope, accessId: 'a', invitationId: `i-${userId}` },
  }) as MembershipEvent;
const history: MembershipEvent[] = [
  { type: 'MemberJoined', data: joined('early', 'read-only', { type: 'global' }).data } as MembershipEvent,
  { type: 'AccountCreated', data: { accountId: acc, name: 'Acme', rootOwner: { userId: 'root', email: 'root@x.io' } } },
  { type: 'BillingAccountCreated', data: { accountId: acc, billingAccountId: 'b1', name: 'EU', createdBy: 'root' } },
  joined('olga', 'owner', { type: 'global' }),
  joined('rita', 'administrator', { type: 'restricted', billingAccountId: 'b1' }),
  joined('gone', 'accountant', { type: 'global' }),
  joined('cora', 'read-only', { type: 'global' }),
  {
    type: 'CustomRoleDefined',
    data: { accountId: acc, name: 'dns-reader', permissions: ['dns:read'], definedBy: 'root' },
  },
  {
    type: 'RoleChanged',
    data: { accountId: acc, userId: 'cora', email: 'c', from: 'read-only', to: 'dns-reader', changedBy: 'root' },
  },
  {
    type: 'MemberPermissionsChanged',
    data: { accountId: acc, userId: 'cora', permissions: ['account-api:query:*'], changedBy: 'root' },
  },
  {
    type: 'MemberScopeChanged',
    data: { accountId: acc, userId: 'rita', scope: { type: 'global' }, changedBy: 'root' },
  },
  {
    type: 'MemberDisplayNameChanged',
    data: { accountId: acc, userId: 'rita', displayName: 'Rita', changedBy: 'root' },
  },
  { type: 'AccountDisplayNameChanged', data: { accountId: acc, userId: 'rita', displayName: 'Mine' } },
  {
    type: 'EnvironmentCreationChanged',
    data: { accountId: acc, userId: 'rita', mayCreateEnvironments: true, changedBy: 'root' },
  },
  { type: 'MemberRemoved', data: { accountId: acc, userId: 'gone', email: 'g', removedBy: 'root' } },
  { type: 'MemberLeft', data: { accountId: acc, userId: 'nobody', email: 'n' } },
  {
    type: 'RoleChanged',
    data: { accountId: acc, userId: 'nobody', email: 'n', from: 'a', to: 'b', changedBy: 'root' },
  },
  { type: 'OwnershipTransferred', data: { accountId: acc, from: 'root', to: 'olga' } },
] as MembershipEvent[];

const envelope = (event: MembershipEvent, i: number) => accountEnvelope(acc, event, i);

describe('the authorization index folds as evolveAccount does', () => {
  it('after every event, the account it holds is the folded state', () => {
    const index = new AuthzIndex({} as EventStore);
    let state = initialAccountState();
    history.forEach((event, i) => {
      index.apply(envelope(event, i));
      state = evolveAccount(state, event);
      const held = index.account(acc);
      if (state.status === 'active') expect(held).toEqual(state);
      else expect(held === undefined || held.status === 'none').toBe(true);
    });
  });
  it('a second AccountCreated starts the account over, as evolveAccount does', () => {
    const index = new AuthzIndex({} as EventStore);
    const again = [...history, history[1]!];
    again.forEach((event, i) => index.apply(envelope(event, i)));
    expect(index.account(acc)).toEqual(again.reduce(evolveAccount, initialAccountState()));
  });
  it('its checks are the evaluator’s answers on that state', () => {
    const index = new AuthzIndex({} as EventStore);
    history.forEach((event, i) => index.apply(envelope(event, i)));
    const state = history.reduce(evolveAccount, initialAccountState());
    if (state.status !== 'active') throw new Error('no account');
    for (const userId of ['root', 'olga', 'rita', 'cora', 'gone', 'early', 'nobody'])
      for (const permission of ['dns:read', 'dns:manage', 'vps:manage', 'account-api:query:x', 'users:manage', 'x'])
        for (const billingAccountId of [undefined, 'b1', 'b2']) {
          const member = state.members.get(userId);
          const request = { accountId: acc, userId, permission, ...(billingAccountId ? { billingAccountId } : {}) };
          expect(index.check(request)).toEqual(
            member
              ? { ...evaluateMember(state, member, request), role: member.role, scope: member.scope }
              : { allowed: false, reason: 'not a member of this account' },
          );
        }
  });
});
