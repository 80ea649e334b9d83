import { permissionCatalogView } from './catalog-view';
import { expandGrant } from './grants';
import { DEFAULT_CATALOG, validateCatalog } from './section-catalog';

describe('the permission catalog as clients see it', () => {
  const catalog = validateCatalog(DEFAULT_CATALOG);
  const view = permissionCatalogView(catalog);
  const section = (name: string) => view.sections.find((s) => s.name === name)!;

  it('lists every section once, in the catalog’s order', () =>
    expect(view.sections.map((s) => s.name)).toEqual(DEFAULT_CATALOG.sections));

  it('names the sections each one implies, as a grant expands it', () => {
    expect(section('servers').implies).toEqual([
      'cloud-servers',
      'ssh-keys',
      'images',
      'private-networks',
      'firewall',
      'public-ips',
    ]);
    expect(section('domains').implies).toEqual(['domain-administrators']);
    expect(section('vps').implies).toEqual([]);
    for (const s of view.sections) {
      if (s.grantableLevels.length === 0) continue;
      const granted = expandGrant(catalog, [`${s.name}:read`]);
      expect(granted).toEqual({ ok: true, permissions: [s.name, ...s.implies].map((n) => `${n}:read`).sort() });
    }
  });

  it('offers no level of an owner-only or available-to-all section, except reading the user list', () => {
    expect(section('users')).toMatchObject({ ownerOnly: true, grantableLevels: ['read'], accountLevel: true });
    expect(section('notifications')).toMatchObject({ ownerOnly: true, grantableLevels: [] });
    expect(section('api')).toMatchObject({ availableToAll: true, grantableLevels: [] });
    expect(section('dns')).toMatchObject({
      ownerOnly: false,
      grantableLevels: ['read', 'manage'],
      accountLevel: false,
    });
  });

  it('gives the levels, the built-in roles and the permissions no list grants', () => {
    expect(view.levels).toEqual(['read', 'manage']);
    expect(view.roles.map((r) => r.name)).toEqual(['owner', 'administrator', 'accountant', 'read-only']);
    expect(view.roles.find((r) => r.name === 'accountant')!.permissions).toContain('billing:manage');
    expect(view.special).toEqual(['environments:create', 'servers:transfer']);
  });

  it('is plain JSON', () => expect(JSON.parse(JSON.stringify(view))).toEqual(view));
});
