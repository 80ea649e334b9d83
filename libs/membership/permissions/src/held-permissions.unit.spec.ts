import { heldPermissions, holdsAsked, parseAsked } from './held-permissions';
import { parseSectionPermission, satisfies } from './permission';
import { ROLE_PERMISSIONS, roleAllows, roleHolds } from './roles';
import { isSbsScope, sbsScopeMatches } from './sbs-scope';

// The compiled form answers exactly as checking every held entry one by one does.
const held = [
  'dns:read',
  'vps:manage',
  'account-api:query:*',
  'account-api:mutate:orders',
  'bad',
  '*',
  'a:b:*:c',
  'VPS:read',
  'dns:write',
];
const asked = [
  'dns:read',
  'dns:manage',
  'vps:read',
  'vps:manage',
  'ssl:read',
  'account-api:query:x',
  'account-api:query:*',
  'account-api:mutate:orders',
  'account-api:mutate:other',
  'account-api-admin:query:x',
  'a:b',
  '',
  'dns',
  'VPS:read',
  'constructor:read',
  '::',
  'dns:read:',
];

const oneByOne = (list: readonly string[], permission: string) => {
  if (isSbsScope(permission)) return list.some((p) => sbsScopeMatches(p, permission));
  const wanted = parseSectionPermission(permission);
  return (
    wanted !== null &&
    list.some((p) => {
      const parsed = parseSectionPermission(p);
      return parsed !== null && satisfies(parsed, wanted);
    })
  );
};

describe('held permissions, parsed once', () => {
  const lists = [held, [], ...held.map((p) => [p])];
  it.each(asked)('%p is held exactly when one held entry holds it', (permission) => {
    for (const list of lists)
      expect(holdsAsked(heldPermissions(list), parseAsked(permission))).toBe(oneByOne(list, permission));
  });
  it.each(asked)('a built-in role holds %p exactly when roleAllows says so', (permission) => {
    for (const role of ROLE_PERMISSIONS.keys())
      expect(roleHolds(role, parseAsked(permission))).toBe(roleAllows(role, permission).allowed);
  });
});
