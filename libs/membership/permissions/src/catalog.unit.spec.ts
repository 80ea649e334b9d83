import { expandGrant } from './grants';
import { isSbsScope, parseSbsScope, sbsScopeMatches } from './sbs-scope';
import { DEFAULT_CATALOG, isAccountLevel, validateCatalog } from './section-catalog';

const catalog = validateCatalog(DEFAULT_CATALOG);
const expand = (...permissions: string[]) => {
  const result = expandGrant(catalog, permissions);
  if (!result.ok) throw new Error(result.reason);
  return result.permissions;
};

describe('seed 003 "Access Combinations": a section grants its related sections at the same level', () => {
  it.each([
    ['servers', ['cloud-servers', 'firewall', 'images', 'private-networks', 'public-ips', 'servers', 'ssh-keys']],
    ['databases', ['databases', 'firewall', 'private-networks', 'public-ips']],
    ['balancers', ['balancers', 'firewall', 'load-balancers', 'private-networks', 'public-ips']],
    ['networks', ['firewall', 'networks', 'private-networks', 'public-ips']],
    ['domains', ['domain-administrators', 'domains']],
  ])('%s', (section, sections) => {
    expect(expand(`${section}:read`)).toEqual(sections.map((s) => `${s}:read`));
    expect(expand(`${section}:manage`)).toEqual(sections.map((s) => `${s}:manage`));
  });

  it('a section without combinations grants itself only', () => expect(expand('dns:manage')).toEqual(['dns:manage']));
  it('overlapping grants are deduplicated', () =>
    expect(expand('databases:read', 'networks:read')).toEqual([
      'databases:read',
      'firewall:read',
      'networks:read',
      'private-networks:read',
      'public-ips:read',
    ]));
});

describe('seed 003 "Available to Account Owner Only"', () => {
  it.each(['notifications', 'users', 'feedback', 'news', 'referral-program', 'project-management'])(
    '%s cannot be granted to a member',
    (section) => {
      expect(expandGrant(catalog, [`${section}:manage`])).toMatchObject({
        ok: false,
        index: 0,
        reason: `${section} is available to account owners only`,
      });
    },
  );
  it('reading the list of users is not owner-only (seed 004 "View a list of users and roles")', () =>
    expect(expand('users:read')).toEqual(['users:read']));
});

describe('seed 003 "Available to All Users"', () => {
  it('the API section and appearance need no grant (dropped from the stored set)', () =>
    expect(expand('api:manage', 'appearance:manage')).toEqual([]));
});

describe('permission strings', () => {
  it('an unknown section names the offending index', () =>
    expect(expandGrant(catalog, ['dns:read', 'teleport:read'])).toMatchObject({ ok: false, index: 1 }));
  it('an unknown level is refused', () =>
    expect(expandGrant(catalog, ['dns:admin'])).toMatchObject({ ok: false, index: 0 }));
});

describe('seed 002 SBS scopes service:action:resource', () => {
  it('account-api:query:* matches account-api:query:x', () =>
    expect(sbsScopeMatches('account-api:query:*', 'account-api:query:x')).toBe(true));
  it('… but not account-api:mutate:x', () =>
    expect(sbsScopeMatches('account-api:query:*', 'account-api:mutate:x')).toBe(false));
  it('… nor account-api-admin:query:x', () =>
    expect(sbsScopeMatches('account-api:query:*', 'account-api-admin:query:x')).toBe(false));
  it('an exact scope matches only its resource', () => {
    expect(sbsScopeMatches('account-api:query:x', 'account-api:query:x')).toBe(true);
    expect(sbsScopeMatches('account-api:query:x', 'account-api:query:y')).toBe(false);
  });
  it('matching is case-sensitive', () =>
    expect(sbsScopeMatches('account-api:query:*', 'Account-api:query:x')).toBe(false));
  it.each(['account-api:*:x', 'acc*:query:x', '*', 'account-api:query', 'account-api:query:x*', 'a:b:c:d'])(
    '%s is not a valid scope',
    (scope) => {
      expect(isSbsScope(scope) ? parseSbsScope(scope) : null).toBeNull();
    },
  );
  it('a granted SBS scope is kept as given', () =>
    expect(expand('account-api:query:*')).toEqual(['account-api:query:*']));
  it('a malformed SBS scope is refused', () =>
    expect(expandGrant(catalog, ['account-api:*:x'])).toMatchObject({ ok: false, index: 0 }));
});

describe('catalog validation at start-up', () => {
  it('an unknown section in a combination stops start-up, naming it', () =>
    expect(() => validateCatalog({ ...DEFAULT_CATALOG, combinations: { servers: ['warp-drives'] } })).toThrow(
      'unknown section "warp-drives" in combinations of "servers"',
    ));
  it('a cycle in the combinations stops start-up, naming it', () =>
    expect(() =>
      validateCatalog({ ...DEFAULT_CATALOG, combinations: { servers: ['networks'], networks: ['servers'] } }),
    ).toThrow('combinations form a cycle: servers → networks → servers'));
  it('a duplicate section stops start-up', () =>
    expect(() => validateCatalog({ ...DEFAULT_CATALOG, sections: [...DEFAULT_CATALOG.sections, 'dns'] })).toThrow(
      'section "dns" is listed twice',
    ));
  it('an unknown owner-only section stops start-up', () =>
    expect(() => validateCatalog({ ...DEFAULT_CATALOG, ownerOnly: ['moon'] })).toThrow(
      'unknown section "moon" in ownerOnly',
    ));
  it('an unknown account-level section stops start-up', () =>
    expect(() =>
      validateCatalog({ ...DEFAULT_CATALOG, accountLevel: [...DEFAULT_CATALOG.accountLevel, 'moon'] }),
    ).toThrow('unknown section "moon" in accountLevel'));
  it('an owner-only section that is not account-level stops start-up', () =>
    expect(() =>
      validateCatalog({ ...DEFAULT_CATALOG, accountLevel: DEFAULT_CATALOG.accountLevel.filter((s) => s !== 'users') }),
    ).toThrow('section "users" must be account-level'));
  it('an available-to-all section that is not account-level stops start-up', () =>
    expect(() =>
      validateCatalog({ ...DEFAULT_CATALOG, accountLevel: DEFAULT_CATALOG.accountLevel.filter((s) => s !== 'api') }),
    ).toThrow('section "api" must be account-level'));
  it('a section named "constructor" has no combinations (no Object.prototype look-up)', () => {
    const withConstructor = validateCatalog({
      ...DEFAULT_CATALOG,
      sections: [...DEFAULT_CATALOG.sections, 'constructor'],
    });
    expect(expandGrant(withConstructor, ['constructor:read'])).toEqual({ ok: true, permissions: ['constructor:read'] });
  });
  it('the default catalog is valid', () => expect(catalog.sectionSet.has('vps')).toBe(true));
});

describe('issue 8 rule 6: each section is account-level or billing-account-level', () => {
  it('the account itself (users, project, settings) is account-level', () =>
    expect(DEFAULT_CATALOG.sections.filter((s) => isAccountLevel(catalog, s))).toEqual([
      'users',
      'project',
      'project-management',
      'notifications',
      'feedback',
      'news',
      'referral-program',
      'api',
      'appearance',
    ]));
  it('resources (servers, dns, billing, …) are billing-account-level', () => {
    for (const section of ['servers', 'vps', 'dns', 'billing', 'support', 'ssh-configuration'])
      expect(isAccountLevel(catalog, section)).toBe(false);
  });
  it('an unknown section is not account-level (default-deny)', () =>
    expect(isAccountLevel(catalog, 'constructor')).toBe(false));
});
