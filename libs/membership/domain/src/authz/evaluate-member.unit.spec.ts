import type { MembershipEvent, Scope } from '@accord/contracts';
import { accountDecider, type ActiveAccount, type Member } from '../account';
import { DEFAULT_CATALOG, SERVICE_SECTIONS } from '@accord/membership-permissions';
import { BILLING_ACCOUNT_REQUIRED, evaluateMember, narrowedByToken, ownBillingAccount } from './evaluate-member';
import { memberAccess } from './member-access';

// Issue 8 rule 6: restricted scope is a default-deny. A member restricted to billing account B
// holds a billing-account-level permission only in a check that names B; a check naming none is
// denied `scope.billing_account_required`. Account-level sections are decided by role as before,
// never granting owner-only ones. Every section of the catalog is checked below.

const acc = 'acc1';
const b1: Scope = { type: 'restricted', billingAccountId: 'b1' };
const joined = (userId: string, role: string, scope: Scope): MembershipEvent => ({
  type: 'MemberJoined',
  data: {
    accountId: acc,
    userId,
    email: `${userId}@x.io`,
    role: role as 'administrator',
    scope,
    accessId: 'a',
    invitationId: `i-${userId}`,
  },
});
const account = (...events: MembershipEvent[]): ActiveAccount => {
  const state = [
    {
      type: 'AccountCreated',
      data: { accountId: acc, name: 'Acme', rootOwner: { userId: 'root', email: 'root@x.io' } },
    } as MembershipEvent,
    {
      type: 'BillingAccountCreated',
      data: { accountId: acc, billingAccountId: 'b1', name: 'EU', createdBy: 'root' },
    } as MembershipEvent,
    {
      type: 'BillingAccountCreated',
      data: { accountId: acc, billingAccountId: 'b2', name: 'US', createdBy: 'root' },
    } as MembershipEvent,
    ...events,
  ].reduce(accountDecider.evolve, accountDecider.initialState());
  if (state.status !== 'active') throw new Error('no account');
  return state;
};
const memberOf = (state: ActiveAccount, userId: string): Member => state.members.get(userId)!;

const ACCOUNT_LEVEL = [
  'users',
  'project',
  'project-management',
  'notifications',
  'feedback',
  'news',
  'referral-program',
  'api',
  'appearance',
];
const OWNER_ONLY = ['notifications', 'users', 'feedback', 'news', 'referral-program', 'project-management'];
const AVAILABLE_TO_ALL = ['api', 'appearance'];
const OTHER = 'restricted to another billing account';

/** What a GLOBAL member of the role answers (seed 004 table, seed 003 owner-only / available to all). */
const globalAnswer = (role: 'administrator' | 'read-only', section: string, level: 'read' | 'manage'): boolean => {
  if (AVAILABLE_TO_ALL.includes(section)) return true;
  if (OWNER_ONLY.includes(section) && !(section === 'users' && level === 'read')) return false;
  if (role === 'read-only') return level === 'read';
  return (
    (SERVICE_SECTIONS as readonly string[]).includes(section) ||
    section === 'project' ||
    (section === 'users' && level === 'read')
  );
};

/** The expected answer for a member restricted to b1, from the catalog's mark. */
const expected = (
  role: 'administrator' | 'read-only',
  section: string,
  level: 'read' | 'manage',
  billingAccountId: string | undefined,
) => {
  const answer = globalAnswer(role, section, level);
  if (ACCOUNT_LEVEL.includes(section) || !answer) return { allowed: answer };
  if (billingAccountId === 'b1') return { allowed: true };
  return { allowed: false, reason: billingAccountId === undefined ? BILLING_ACCOUNT_REQUIRED : OTHER };
};

describe('restricted scope is a default-deny: every section of the catalog (issue 8 rule 6)', () => {
  const state = account(joined('admin', 'administrator', b1), joined('reader', 'read-only', b1));
  const cases = (['administrator', 'read-only'] as const).flatMap((role) =>
    DEFAULT_CATALOG.sections.flatMap((section) =>
      (['read', 'manage'] as const).flatMap((level) =>
        [undefined, 'b1', 'b2'].map(
          (billingAccountId) =>
            [
              role,
              `${section}:${level}`,
              billingAccountId ?? 'no billing account',
              section,
              level,
              billingAccountId,
            ] as const,
        ),
      ),
    ),
  );

  it.each(cases)(
    '%s restricted to b1 asking %s in %s',
    (role, permission, _where, section, level, billingAccountId) => {
      const member = memberOf(state, role === 'administrator' ? 'admin' : 'reader');
      expect(evaluateMember(state, member, { permission, billingAccountId })).toMatchObject(
        expected(role, section, level, billingAccountId),
      );
    },
  );

  it('the catalog marks exactly the account-level sections this spec expects', () =>
    expect(DEFAULT_CATALOG.accountLevel).toEqual(ACCOUNT_LEVEL));
  it('covers every section of the catalog', () =>
    expect(new Set(cases.map((c) => c[3]))).toEqual(new Set(DEFAULT_CATALOG.sections)));
  it('a global member needs no billing account', () => {
    const s = account(joined('g', 'administrator', { type: 'global' }));
    expect(evaluateMember(s, memberOf(s, 'g'), { permission: 'vps:manage' }).allowed).toBe(true);
  });
  it('an owner holds everything, with or without a billing account', () => {
    const s = account();
    expect(evaluateMember(s, memberOf(s, 'root'), { permission: 'vps:manage' }).allowed).toBe(true);
  });
});

describe('SBS scopes are billing-account-level (issue 8 rule 6)', () => {
  const state = account(joined('svc', 'read-only', b1), {
    type: 'MemberPermissionsChanged',
    data: { accountId: acc, userId: 'svc', permissions: ['account-api:query:*'], changedBy: 'root' },
  });
  const svc = memberOf(state, 'svc');
  it('naming no billing account is denied', () =>
    expect(evaluateMember(state, svc, { permission: 'account-api:query:x' })).toEqual({
      allowed: false,
      reason: BILLING_ACCOUNT_REQUIRED,
    }));
  it('naming the member’s billing account is allowed', () =>
    expect(evaluateMember(state, svc, { permission: 'account-api:query:x', billingAccountId: 'b1' }).allowed).toBe(
      true,
    ));
  it('naming another billing account is denied', () =>
    expect(evaluateMember(state, svc, { permission: 'account-api:query:x', billingAccountId: 'b2' })).toEqual({
      allowed: false,
      reason: OTHER,
    }));
});

describe('an API token’s own restricted scope is a default-deny too (issue 8 rule 6)', () => {
  const token = { permissions: null, scope: b1 };
  it('a billing-account-level check naming no billing account is denied', () =>
    expect(narrowedByToken(token, { permission: 'vps:read' })).toEqual({
      allowed: false,
      reason: BILLING_ACCOUNT_REQUIRED,
    }));
  it('naming the token’s billing account passes', () =>
    expect(narrowedByToken(token, { permission: 'vps:read', billingAccountId: 'b1' }).allowed).toBe(true));
  it('naming another billing account is denied', () =>
    expect(narrowedByToken(token, { permission: 'vps:read', billingAccountId: 'b2' })).toEqual({
      allowed: false,
      reason: 'token restricted to another billing account',
    }));
  it('an account-level check needs no billing account', () =>
    expect(narrowedByToken(token, { permission: 'users:read' }).allowed).toBe(true));
  it('an SBS scope needs the billing account', () =>
    expect(
      narrowedByToken({ permissions: ['account-api:query:*'], scope: b1 }, { permission: 'account-api:query:x' }),
    ).toEqual({ allowed: false, reason: BILLING_ACCOUNT_REQUIRED }));
});

describe('owner-only sections never reach a non-owner (seed 003)', () => {
  it('not even through permissions stored before the catalog refused them', () => {
    const state = account(joined('m', 'administrator', { type: 'global' }), {
      type: 'MemberPermissionsChanged',
      data: { accountId: acc, userId: 'm', permissions: ['notifications:manage', 'users:manage'], changedBy: 'root' },
    });
    for (const permission of ['notifications:manage', 'users:manage'])
      expect(evaluateMember(state, memberOf(state, 'm'), { permission }).allowed).toBe(false);
  });
});

describe('role names named like Object.prototype members (issue 8 rule 1)', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'a member whose role "%s" the account never defined holds nothing',
    (role) => {
      const state = account(joined('m', role, { type: 'global' }));
      expect(evaluateMember(state, memberOf(state, 'm'), { permission: 'dns:read' })).toEqual({
        allowed: false,
        reason: 'no dns:read',
      });
    },
  );
  it('a custom role named "constructor" grants what the account defined', () => {
    const state = account(
      {
        type: 'CustomRoleDefined',
        data: { accountId: acc, name: 'constructor', permissions: ['dns:read'], definedBy: 'root' },
      },
      joined('m', 'constructor', { type: 'global' }),
    );
    expect(evaluateMember(state, memberOf(state, 'm'), { permission: 'dns:read' }).allowed).toBe(true);
    expect(evaluateMember(state, memberOf(state, 'm'), { permission: 'dns:manage' }).allowed).toBe(false);
  });
});

describe('support look-up (seed 003 "Contacting Support") for a restricted member', () => {
  it('is answered within the member’s own billing account', () => {
    const state = account(joined('admin', 'administrator', b1));
    expect(memberAccess(state, memberOf(state, 'admin')).sections).toMatchObject({
      vps: 'management',
      servers: 'none',
      project: 'management',
    });
  });
});

describe('what a member holds, rule by rule (evaluateMember)', () => {
  const global = { type: 'global' } as const;
  const customRole = (name: string, permissions: string[]): MembershipEvent => ({
    type: 'CustomRoleDefined',
    data: { accountId: acc, name, permissions, definedBy: 'root' },
  });
  const granted = (userId: string, permissions: string[]): MembershipEvent => ({
    type: 'MemberPermissionsChanged',
    data: { accountId: acc, userId, permissions, changedBy: 'root' },
  });
  const ask = (state: ActiveAccount, userId: string, permission: string) =>
    evaluateMember(state, memberOf(state, userId), { permission });

  it('the root owner holds everything, even an owner-only section', () =>
    expect(ask(account(), 'root', 'notifications:manage')).toEqual({ allowed: true, reason: 'root owner' }));

  it('another owner holds everything too', () => {
    const state = account(joined('olga', 'owner', global));
    expect(ask(state, 'olga', 'users:manage')).toEqual({ allowed: true, reason: 'owner' });
  });

  it.each(['dns', 'dns:write', 'warp-drives:read-ish', ''])(
    'a permission that is neither section:level nor an SBS scope (%p) is denied as unknown',
    (permission) => {
      const state = account(joined('m', 'administrator', global));
      expect(ask(state, 'm', permission)).toEqual({ allowed: false, reason: `unknown permission ${permission}` });
    },
  );

  it('a section available to all is held by every member, whatever the role', () => {
    const state = account(joined('m', 'read-only', global));
    expect(ask(state, 'm', 'api:manage')).toEqual({ allowed: true, reason: 'api is available to every member' });
  });

  it('a built-in role holds what the role table says', () => {
    const state = account(joined('m', 'read-only', global));
    expect(ask(state, 'm', 'dns:read')).toEqual({ allowed: true, reason: 'role read-only' });
    expect(ask(state, 'm', 'dns:manage')).toEqual({ allowed: false, reason: 'no dns:manage' });
  });

  it('a permission granted to the member adds to the role', () => {
    const state = account(joined('m', 'read-only', global), granted('m', ['dns:manage']));
    expect(ask(state, 'm', 'dns:manage')).toEqual({ allowed: true, reason: 'granted permission' });
  });

  it('a custom role holds what the account defined for it, plus what was granted to the member', () => {
    const state = account(
      customRole('dns-reader', ['dns:read']),
      joined('m', 'dns-reader', global),
      granted('m', ['vps:manage']),
    );
    expect(ask(state, 'm', 'dns:read').allowed).toBe(true);
    expect(ask(state, 'm', 'vps:manage').allowed).toBe(true);
    expect(ask(state, 'm', 'servers:read')).toEqual({ allowed: false, reason: 'no servers:read' });
  });

  it('manage implies read; read never implies manage', () => {
    const state = account(
      customRole('dns-admin', ['dns:manage']),
      joined('m', 'dns-admin', global),
      customRole('dns-reader', ['dns:read']),
      joined('r', 'dns-reader', global),
    );
    expect(ask(state, 'm', 'dns:read').allowed).toBe(true);
    expect(ask(state, 'r', 'dns:manage').allowed).toBe(false);
  });

  it('an SBS scope is held through a granted pattern that matches it, not through the role', () => {
    const state = account(joined('m', 'administrator', global), granted('m', ['account-api:query:*']));
    expect(ask(state, 'm', 'account-api:query:orders')).toEqual({ allowed: true, reason: 'granted permission' });
    expect(ask(state, 'm', 'account-api:delete:orders')).toEqual({
      allowed: false,
      reason: 'no account-api:delete:orders',
    });
  });
});

describe('a token narrows its user’s decision (narrowedByToken)', () => {
  it('a token without its own permissions holds what its user holds', () =>
    expect(narrowedByToken({ permissions: null, scope: null }, { permission: 'vps:manage' })).toEqual({
      allowed: true,
      reason: "token holds its user's permissions",
    }));
  it('a token with permissions holds only those (manage implies read)', () => {
    const token = { permissions: ['dns:manage'], scope: null };
    expect(narrowedByToken(token, { permission: 'dns:read' })).toEqual({ allowed: true, reason: 'token permission' });
    expect(narrowedByToken(token, { permission: 'vps:read' })).toEqual({
      allowed: false,
      reason: 'token lacks vps:read',
    });
  });
  it('a token with a global scope is not confined to a billing account', () =>
    expect(narrowedByToken({ permissions: null, scope: { type: 'global' } }, { permission: 'vps:read' }).allowed).toBe(
      true,
    ));
});

describe('the billing account a member’s own checks are made in (ownBillingAccount)', () => {
  const state = account(joined('r', 'administrator', b1), joined('g', 'administrator', { type: 'global' }));
  it('a restricted member: their billing account', () => expect(ownBillingAccount(memberOf(state, 'r'))).toBe('b1'));
  it('a global member: none', () => expect(ownBillingAccount(memberOf(state, 'g'))).toBeUndefined());
});

describe('support look-up (seed 003 "Contacting Support") for a global member', () => {
  const state = account(joined('reader', 'read-only', { type: 'global' }));
  const view = memberAccess(state, memberOf(state, 'reader'));
  it('management, read only or none per section, from what the member holds', () =>
    expect(view.sections).toMatchObject({ vps: 'read only', dns: 'read only' }));
  it('owner-only and available-to-all sections are not part of the view', () => {
    for (const section of [...OWNER_ONLY, ...AVAILABLE_TO_ALL]) expect(view.sections).not.toHaveProperty(section);
  });
  it('names the member and the role', () => expect(view).toMatchObject({ userId: 'reader', role: 'read-only' }));
});
