import {
  combinationText,
  combinationsOf,
  expandPermissions,
  grantableSections,
  levelLabel,
  listText,
  parseScopeList,
  permissionLabel,
  sectionLabel,
  supportLevelLabel,
  type CatalogSection,
  type PermissionCatalog,
} from './permissions';

const section = (name: string, over: Partial<CatalogSection> = {}): CatalogSection => ({
  name,
  implies: [],
  grantableLevels: ['read', 'manage'],
  ownerOnly: false,
  availableToAll: false,
  accountLevel: false,
  ...over,
});

const catalog: PermissionCatalog = {
  levels: ['read', 'manage'],
  sections: [
    section('servers', {
      implies: ['cloud-servers', 'ssh-keys', 'images', 'private-networks', 'firewall', 'public-ips'],
    }),
    section('cloud-servers'),
    section('ssh-keys'),
    section('domains', { implies: ['domain-administrators'] }),
    section('domain-administrators'),
    section('dns'),
    section('users', { ownerOnly: true, grantableLevels: ['read'], accountLevel: true }),
    section('notifications', { ownerOnly: true, grantableLevels: [], accountLevel: true }),
    section('api', { availableToAll: true, grantableLevels: [], accountLevel: true }),
  ],
  roles: [],
  special: ['environments:create', 'servers:transfer'],
};

describe('permission combinations as they expand', () => {
  it('names sections as people write them', () => {
    expect(sectionLabel('ssh-keys')).toBe('SSH keys');
    expect(sectionLabel('public-ips')).toBe('Public IPs');
    expect(sectionLabel('load-balancers')).toBe('Load balancers');
    expect(sectionLabel('iaas')).toBe('IaaS');
    expect(sectionLabel('api')).toBe('API');
    expect(levelLabel('manage')).toBe('Management');
    expect(levelLabel('read')).toBe('Read only');
  });

  it('offers only the sections a grant may name', () =>
    expect(grantableSections(catalog).map((s) => s.name)).not.toEqual(
      expect.arrayContaining(['notifications', 'api']),
    ));

  it('shows what a chosen section brings along, at its level', () => {
    const shown = combinationsOf(catalog, ['servers:manage', 'dns:read', 'domains:read', 'account-api:query:*']);
    expect(shown.map((c) => c.section)).toEqual(['servers', 'domains']);
    expect(combinationText(shown[0]!)).toBe(
      'Servers (management) also grants Cloud servers, SSH keys, Images, Private networks, Firewall and Public IPs at the same level.',
    );
    expect(combinationText(shown[1]!)).toBe('Domains (read only) also grants Domain administrators at the same level.');
  });

  it('previews the expanded list as the API stores it: implied sections added, SBS scopes kept, sorted', () =>
    expect(expandPermissions(catalog, ['domains:manage', 'account-api:query:*', 'api:manage'])).toEqual([
      'account-api:query:*',
      'domain-administrators:manage',
      'domains:manage',
    ]));

  it('labels permissions and the support look-up’s levels', () => {
    expect(permissionLabel('dns:manage')).toBe('DNS: management');
    expect(permissionLabel('account-api:query:*')).toBe('account-api:query:*');
    expect(supportLevelLabel('management')).toBe('Management');
    expect(supportLevelLabel('read only')).toBe('Read only');
    expect(supportLevelLabel('none')).toBe('No access');
  });

  it('reads free-text SBS scopes and lists words', () => {
    expect(parseScopeList('account-api:query:*, billing:read:x\naccount-api:query:*')).toEqual([
      'account-api:query:*',
      'billing:read:x',
    ]);
    expect(listText(['a'])).toBe('a');
    expect(listText(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
