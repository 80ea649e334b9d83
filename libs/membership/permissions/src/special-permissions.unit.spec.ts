import { PERMISSION_PATTERN } from '@accord/contracts';
import { expandGrant } from './grants';
import { heldPermissions, holdsAsked, parseAsked } from './held-permissions';
import { roleAllows } from './roles';
import { DEFAULT_CATALOG, validateCatalog } from './section-catalog';
import { ENVIRONMENTS_CREATE, SERVERS_TRANSFER, isSpecialPermission } from './special-permissions';

// AUTHZ-16, AUTHZ-17: two permissions outside `section:level`, held exactly, never granted by a list.
const catalog = validateCatalog(DEFAULT_CATALOG);

describe('special permissions in the grammar', () => {
  it.each([ENVIRONMENTS_CREATE, SERVERS_TRANSFER])('%s is a well-formed permission (PERMISSION_PATTERN)', (p) =>
    expect(PERMISSION_PATTERN.test(p)).toBe(true),
  );

  it.each(['environments:read', 'environments:manage', 'servers:create', 'environments:transfer', 'x:create'])(
    '%s is no special permission',
    (p) => expect(isSpecialPermission(p)).toBe(false),
  );

  it('the grammar gains nothing else: an unknown verb is still malformed', () =>
    expect(PERMISSION_PATTERN.test('vps:create')).toBe(false));
});

describe('no permission list grants them (PATCH of a member, custom roles, shares)', () => {
  it('environments:create is refused, pointing at mayCreateEnvironments', () =>
    expect(expandGrant(catalog, ['vps:read', ENVIRONMENTS_CREATE])).toEqual({
      ok: false,
      index: 1,
      reason: 'environments:create is given by mayCreateEnvironments, not by a permission list',
    }));

  it('servers:transfer is refused: the root owner only', () =>
    expect(expandGrant(catalog, [SERVERS_TRANSFER])).toEqual({
      ok: false,
      index: 0,
      reason: 'servers:transfer is held by the root owner only',
    }));

  it('servers:manage does not imply servers:transfer, not even for a role', () => {
    expect(holdsAsked(heldPermissions(['servers:manage']), parseAsked(SERVERS_TRANSFER))).toBe(false);
    expect(roleAllows('administrator', SERVERS_TRANSFER).allowed).toBe(false);
  });
});

describe('held exactly (a token narrowed to them)', () => {
  it.each([ENVIRONMENTS_CREATE, SERVERS_TRANSFER])('a list naming %s holds it', (p) =>
    expect(holdsAsked(heldPermissions([p]), parseAsked(p))).toBe(true),
  );

  it('a list naming one does not hold the other', () =>
    expect(holdsAsked(heldPermissions([ENVIRONMENTS_CREATE]), parseAsked(SERVERS_TRANSFER))).toBe(false));
});
