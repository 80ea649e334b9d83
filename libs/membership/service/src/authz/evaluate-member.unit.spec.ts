import type { MembershipEvent, Scope } from '@accord/contracts';
import { accountDecider, type ActiveAccount, type Member } from '@accord/membership-domain';
import { DEFAULT_CATALOG, SERVICE_SECTIONS } from '@accord/membership-permissions';
import { BILLING_ACCOUNT_REQUIRED, evaluateMember, narrowedByToken } from './evaluate-member';
import { memberAccess } from './member-access';

// Issue 8 rule 6: restricted scope is a default-deny. A member restricted to billing account B
// holds a billing-account-level permission only in a check that names B; a check naming none is
// denied `scope.billing_account_required`. Account-level sections are decided by role as before,
// never granting owner-only ones. Every section of the catalog is checked below.

const acc = 'acc1';
const b1: Scope = { type: 'restricted', billingAccountId: 'b1' };
const joined = (userId: string, role: string, scope: Scope): MembershipEvent => ({
  type: 'MemberJoined',
  data: { accountId: acc, userId, email: `${userId}@x.io`, role: role as 'administrator', scope, accessId: 'a', invitationId: `i-${userId}` },
});
const account = (...events: MembershipEvent[]): ActiveAccount => {
  const state = [
    { type: 'AccountCreated', data: { accountId: acc, name: 'Acme', rootOwner: { userId: 'root', email: 'root@x.io' } } } as MembershipEvent,
    { type: 'BillingAccountCreated', data: { accountId: acc, billingAccountId: 'b1', name: 'EU', createdBy: 'root' } } as MembershipEvent,
    { type: 'BillingAccountCreated', data: { accountId: acc, billingAccountId: 'b2', name: 'US', createdBy: 'root' } } as MembershipEvent,
    ...events,
  ].reduce(accountDecider.evolve, accountDecider.initialState());
  if (state.status !== 'active') throw new Error('no account');
  return state;
};
const memberOf = (state: ActiveAccount, userId: string): Member => state.members.get(userId)!;

const ACCOUNT_LEVEL = ['users', 'project', 'project-management', 'notifications', 'feedback', 'news', 'referral-program', 'api', 'appearance'];
const OWNER_ONLY = ['notifications', 'users', 'feedback', 'news', 'referral-program', 'project-management'];
const AVAILABLE_TO_ALL = ['api', 'appearance'];
const OTHER = 'restricted to another billing account';

/** What a GLOBAL member of the role answers (seed 004 table, seed 003 owner-only / available to all). */
const globalAnswer = (role: 'administrator' | 'read-only', section: string, level: 'read' | 'manage'): boolean => {
  if (AVAILABLE_TO_ALL.includes(section)) return true;
  if (OWNER_ONLY.includes(section) && !(section === 'users' && level === 'read')) return false;
  if (role === 'read-only') return level === 'read';
  return (SERVICE_SECTIONS as readonly string[]).includes(section) || section === 'project' || (section === 'users' && level === 'read');
};

/** The expected answer for a member restricted to b1, from the catalog's mark. */
const expected = (role: 'administrator' | 'read-only', section: string, level: 'read' | 'manage', billingAccountId: string | undefined) => {
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
        [undefined, 'b1', 'b2'].map((billingAccountId) => [role, `${section}:${level}`, billingAccountId ?? 'no billing account', section, level, billingAccountId] as const),
      ),
    ),
  );

  it.each(cases)('%s restricted to b1 asking %s in %s', (role, permission, _where, section, level, billingAccountId) => {
    const member = memberOf(state, role === 'administrator' ? 'admin' : 'reader');
    expect(evaluateMember(state, member, { permission, billingAccountId })).toMatchObject(expected(role, section, level, billingAccountId));
  });

  it('the catalog marks exactly the account-level sections this spec expects', () => expect(DEFAULT_CATALOG.accountLevel).toEqual(ACCOUNT_LEVEL));
  it('covers every section of the catalog', () => expect(new Set(cases.map((c) => c[3]))).toEqual(new Set(DEFAULT_CATALOG.sections)));
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
    expect(evaluateMember(state, svc, { permission: 'account-api:query:x' })).toEqual({ allowed: false, reason: BILLING_ACCOUNT_REQUIRED }));
  it('naming the member’s billing account is allowed', () => expect(evaluateMember(state, svc, { permission: 'account-api:query:x', billingAccountId: 'b1' }).allowed).toBe(true));
  it('naming another billing account is denied', () =>
    expect(evaluateMember(state, svc, { permission: 'account-api:query:x', billingAccountId: 'b2' })).toEqual({ allowed: false, reason: OTHER }));
});

describe('an API token’s own restricted scope is a default-deny too (issue 8 rule 6)', () => {
  const token = { permissions: null, scope: b1 };
  it('a billing-account-level check naming no billing account is denied', () =>
    expect(narrowedByToken(token, { permission: 'vps:read' })).toEqual({ allowed: false, reason: BILLING_ACCOUNT_REQUIRED }));
  it('naming the token’s billing account passes', () => expect(narrowedByToken(token, { permission: 'vps:read', billingAccountId: 'b1' }).allowed).toBe(true));
  it('naming another billing account is denied', () =>
    expect(narrowedByToken(token, { permission: 'vps:read', billingAccountId: 'b2' })).toEqual({ allowed: false, reason: 'token restricted to another billing account' }));
  it('an account-level check needs no billing account', () => expect(narrowedByToken(token, { permission: 'users:read' }).allowed).toBe(true));
  it('an SBS scope needs the billing account', () =>
    expect(narrowedByToken({ permissions: ['account-api:query:*'], scope: b1 }, { permission: 'account-api:query:x' })).toEqual({ allowed: false, reason: BILLING_ACCOUNT_REQUIRED }));
});

describe('owner-only sections never reach a non-owner (seed 003)', () => {
  it('not even through permissions stored before the catalog refused them', () => {
    const state = account(joined('m', 'administrator', { type: 'global' }), {
      type: 'MemberPermissionsChanged',
      data: { accountId: acc, userId: 'm', permissions: ['notifications:manage', 'users:manage'], changedBy: 'root' },
    });
    for (const permission of ['notifications:manage', 'users:manage']) expect(evaluateMember(state, memberOf(state, 'm'), { permission }).allowed).toBe(false);
  });
});

describe('role names named like Object.prototype members (issue 8 rule 1)', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('a member whose role "%s" the account never defined holds nothing', (role) => {
    const state = account(joined('m', role, { type: 'global' }));
    expect(evaluateMember(state, memberOf(state, 'm'), { permission: 'dns:read' })).toEqual({ allowed: false, reason: 'no dns:read' });
  });
  it('a custom role named "constructor" grants what the account defined', () => {
    const state = account(
      { type: 'CustomRoleDefined', data: { accountId: acc, name: 'constructor', permissions: ['dns:read'], definedBy: 'root' } },
      joined('m', 'constructor', { type: 'global' }),
    );
    expect(evaluateMember(state, memberOf(state, 'm'), { permission: 'dns:read' }).allowed).toBe(true);
    expect(evaluateMember(state, memberOf(state, 'm'), { permission: 'dns:manage' }).allowed).toBe(false);
  });
});

describe('support look-up (seed 003 "Contacting Support") for a restricted member', () => {
  it('is answered within the member’s own billing account', () => {
    const state = account(joined('admin', 'administrator', b1));
    expect(memberAccess(state, memberOf(state, 'admin')).sections).toMatchObject({ vps: 'management', servers: 'none', project: 'management' });
  });
});
