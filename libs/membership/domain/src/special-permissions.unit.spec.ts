import { deciderSpec, reactionSpec, recorded } from '@accord/decider-spec';
import type { MembershipEvent } from '@accord/contracts';
import { accountDecider, type ActiveAccount, type Member } from './account';
import { evaluateMember, narrowedByToken } from './authz/evaluate-member';
import { memberJoiner } from './member-joiner';

// INV-26: a member joins with exactly the permissions their access granted.
// AUTHZ-16 (seed 001 "Allow user to create new environments"): `environments:create`.
// AUTHZ-17 (seed 003 "Server transfers between accounts: only primary users"): `servers:transfer`.

const acc = 'acc1';
const created: MembershipEvent = {
  type: 'AccountCreated',
  data: { accountId: acc, name: 'Acme', rootOwner: { userId: 'root', email: 'root@x.io' } },
};
const billing: MembershipEvent = {
  type: 'BillingAccountCreated',
  data: { accountId: acc, billingAccountId: 'b1', name: 'EU', createdBy: 'root' },
};
const joined = (
  userId: string,
  role: 'owner' | 'administrator' | 'read-only',
  extra: { permissions?: string[]; mayCreateEnvironments?: boolean } = {},
): MembershipEvent => ({
  type: 'MemberJoined',
  data: {
    accountId: acc,
    userId,
    email: `${userId}@x.io`,
    role,
    scope: { type: 'global' },
    accessId: 'a1',
    invitationId: `i-${userId}`,
    ...extra,
  },
});
const fold = (...events: MembershipEvent[]): ActiveAccount => {
  const state = [created, billing, ...events].reduce(accountDecider.evolve, accountDecider.initialState());
  if (state.status !== 'active') throw new Error('no account');
  return state;
};
const check = (state: ActiveAccount, userId: string, permission: string, billingAccountId?: string) =>
  evaluateMember(state, state.members.get(userId)!, {
    permission,
    ...(billingAccountId === undefined ? {} : { billingAccountId }),
  });

describe('a member joins with the access’s permissions (INV-26)', () => {
  const accepted = (extra: { permissions?: string[]; mayCreateEnvironments?: boolean }) =>
    recorded('InvitationAccepted', {
      accessId: 'a1',
      accountId: acc,
      invitationId: 'i-mike',
      email: 'mike@x.io',
      userId: 'mike',
      role: 'read-only',
      scope: { type: 'global' },
      accessType: 'delegate',
      ...extra,
    });
  const given = deciderSpec(accountDecider);

  it('the reaction carries the permissions and the environment flag to AddMember', () =>
    reactionSpec(memberJoiner)(undefined)
      .when(accepted({ permissions: ['account-api:query:*'], mayCreateEnvironments: true }))
      .then({
        type: 'AddMember',
        data: {
          accountId: acc,
          userId: 'mike',
          email: 'mike@x.io',
          role: 'read-only',
          scope: { type: 'global' },
          accessId: 'a1',
          invitationId: 'i-mike',
          permissions: ['account-api:query:*'],
          mayCreateEnvironments: true,
        },
      }));

  it('given an account, when the acceptance is decided, then the member joins with exactly them', () =>
    given([created, billing])
      .when(memberJoiner(accepted({ permissions: ['account-api:query:*', 'vps:manage'] })))
      .then([joined('mike', 'read-only', { permissions: ['account-api:query:*', 'vps:manage'] })]));

  it('and holds them: the check answers yes for what was granted, no for the rest', () => {
    const state = fold(joined('mike', 'read-only', { permissions: ['account-api:query:*', 'vps:manage'] }));
    expect(check(state, 'mike', 'account-api:query:orders', 'b1').allowed).toBe(true);
    expect(check(state, 'mike', 'vps:manage').allowed).toBe(true);
    expect(check(state, 'mike', 'dns:manage').allowed).toBe(false);
    expect(state.members.get('mike')!.permissions).toEqual(['account-api:query:*', 'vps:manage']);
  });

  it('a joiner without permissions holds their role only (older events read the same)', () =>
    expect(fold(joined('mike', 'read-only')).members.get('mike')).toMatchObject<Partial<Member>>({
      permissions: [],
      mayCreateEnvironments: false,
    }));

  it('permissions are re-checked as a PATCH would: an owner-only one is refused', () =>
    given([created, billing])
      .when(memberJoiner(accepted({ permissions: ['users:manage'] })))
      .thenThrows('validation', 'permission.not_grantable'));

  it('a special permission never comes through a permission list', () =>
    given([created, billing])
      .when(memberJoiner(accepted({ permissions: ['servers:transfer'] })))
      .thenThrows('validation', 'permission.not_grantable'));

  it('nothing is stored for an owner, who holds everything', () =>
    given([created, billing])
      .when({
        type: 'AddMember',
        data: {
          ...(joined('olga', 'owner').data as Extract<MembershipEvent, { type: 'MemberJoined' }>['data']),
          permissions: ['vps:read'],
          mayCreateEnvironments: true,
        },
      })
      .then([joined('olga', 'owner')]));
});

describe('environments:create (AUTHZ-16)', () => {
  it('given a member whose flag is off, the check denies it', () =>
    expect(check(fold(joined('mike', 'administrator')), 'mike', 'environments:create')).toEqual({
      allowed: false,
      reason: 'may not create environments',
    }));

  it('given a member who joined with the flag on, the check allows it', () =>
    expect(
      check(fold(joined('mike', 'read-only', { mayCreateEnvironments: true })), 'mike', 'environments:create').allowed,
    ).toBe(true));

  it('given an owner changed the flag (PATCH), the check follows it', () => {
    const on: MembershipEvent = {
      type: 'EnvironmentCreationChanged',
      data: { accountId: acc, userId: 'mike', mayCreateEnvironments: true, changedBy: 'root' },
    };
    const off: MembershipEvent = { ...on, data: { ...on.data, mayCreateEnvironments: false } } as MembershipEvent;
    expect(check(fold(joined('mike', 'read-only'), on), 'mike', 'environments:create').allowed).toBe(true);
    expect(check(fold(joined('mike', 'read-only'), on, off), 'mike', 'environments:create').allowed).toBe(false);
  });

  it('owners may always, the root owner included', () => {
    const state = fold(joined('olga', 'owner'));
    expect(check(state, 'olga', 'environments:create').allowed).toBe(true);
    expect(check(state, 'root', 'environments:create').allowed).toBe(true);
  });

  it('a member restricted to a billing account is asked without naming one (about the account)', () => {
    const state = fold({
      ...joined('mike', 'read-only', { mayCreateEnvironments: true }),
      data: {
        ...(joined('mike', 'read-only').data as Extract<MembershipEvent, { type: 'MemberJoined' }>['data']),
        scope: { type: 'restricted', billingAccountId: 'b1' },
        mayCreateEnvironments: true,
      },
    } as MembershipEvent);
    expect(check(state, 'mike', 'environments:create').allowed).toBe(true);
  });

  it('a token narrowed to other permissions does not hold it; one narrowed to it does', () => {
    expect(
      narrowedByToken({ permissions: ['vps:read'], scope: null }, { permission: 'environments:create' }).allowed,
    ).toBe(false);
    expect(
      narrowedByToken({ permissions: ['environments:create'], scope: null }, { permission: 'environments:create' })
        .allowed,
    ).toBe(true);
  });
});

describe('servers:transfer is the root owner’s alone (AUTHZ-17, seed 003)', () => {
  const customRole: MembershipEvent = {
    type: 'CustomRoleDefined',
    data: { accountId: acc, name: 'movers', permissions: ['servers:manage'], definedBy: 'root' },
  };
  const state = fold(
    joined('olga', 'owner'),
    joined('adam', 'administrator', { permissions: ['servers:manage'], mayCreateEnvironments: true }),
    customRole,
    joined('carl', 'read-only'),
    {
      type: 'RoleChanged',
      data: { accountId: acc, userId: 'carl', email: 'carl@x.io', from: 'read-only', to: 'movers', changedBy: 'root' },
    },
  );

  it('given the root owner, the check allows it', () =>
    expect(check(state, 'root', 'servers:transfer')).toEqual({ allowed: true, reason: 'root owner' }));

  it.each([
    ['another owner', 'olga'],
    ['an administrator granted servers:manage', 'adam'],
    ['a member of a custom role with servers:manage', 'carl'],
  ])('given %s, the check denies it', (_, userId) =>
    expect(check(state, userId, 'servers:transfer')).toEqual({
      allowed: false,
      reason: 'only the root owner transfers servers',
    }),
  );

  it('follows the root: after a transfer of ownership the new root holds it, the old one not', () => {
    const moved = fold(joined('olga', 'owner'), {
      type: 'OwnershipTransferred',
      data: { accountId: acc, from: 'root', to: 'olga' },
    });
    expect(check(moved, 'olga', 'servers:transfer').allowed).toBe(true);
    expect(check(moved, 'root', 'servers:transfer').allowed).toBe(false);
  });

  it('a root owner’s token holds it with its user’s permissions, or when narrowed to it; not when narrowed to others', () => {
    const ask = { permission: 'servers:transfer' };
    expect(narrowedByToken({ permissions: null, scope: null }, ask).allowed).toBe(true);
    expect(narrowedByToken({ permissions: ['servers:transfer'], scope: null }, ask).allowed).toBe(true);
    expect(narrowedByToken({ permissions: ['servers:manage', 'vps:manage'], scope: null }, ask).allowed).toBe(false);
  });

  it('no grant gives it: joining with it through an access is refused', () =>
    deciderSpec(accountDecider)([created, billing, joined('adam', 'administrator')])
      .when({
        type: 'AddMember',
        data: {
          ...(joined('ann', 'administrator').data as Extract<MembershipEvent, { type: 'MemberJoined' }>['data']),
          permissions: ['servers:transfer'],
        },
      })
      .thenThrows('validation', 'permission.not_grantable'));
});
