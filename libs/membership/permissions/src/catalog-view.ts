import type { PermissionCatalogView, PermissionSectionView } from '@accord/contracts';
import { LEVELS } from './permission';
import { ROLE_PERMISSIONS } from './roles';
import { isOwnerOnly, type Catalog } from './section-catalog';
import { SPECIAL_PERMISSIONS } from './special-permissions';

/**
 * The catalog as a client may show it: each section with the sections it implies (AUTHZ-4), the
 * levels a grant may give it (none for owner-only and available-to-all sections: a grant naming them
 * is refused or dropped), and the built-in roles' permissions. Plain data, the same for every account.
 */
export function permissionCatalogView(catalog: Catalog): PermissionCatalogView {
  const sections: PermissionSectionView[] = catalog.sections.map((name) => {
    const availableToAll = catalog.availableToAll.includes(name);
    return {
      name,
      implies: [...(catalog.closure.get(name) ?? [])].filter((s) => s !== name),
      grantableLevels: availableToAll ? [] : LEVELS.filter((level) => !isOwnerOnly(catalog, name, level)),
      ownerOnly: catalog.ownerOnly.includes(name),
      availableToAll,
      accountLevel: catalog.accountLevel.includes(name),
    };
  });
  const roles = [...ROLE_PERMISSIONS].map(([name, permissions]) => ({ name, permissions: [...permissions] }));
  return { levels: [...LEVELS], sections, roles, special: [...SPECIAL_PERMISSIONS] };
}
