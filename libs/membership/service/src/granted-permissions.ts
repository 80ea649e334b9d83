import { invalid } from '@accord/contracts';
import { CATALOG } from '@accord/membership-domain';
import { expandGrant } from '@accord/membership-permissions';

/**
 * Validates permissions given to a member or a custom role and expands them with their related
 * sections (AUTHZ-4, MEM-13) for the grant's event: the expanded set is stored, so a later catalog change
 * never rewrites history.
 */
export function expandGrantedPermissions(permissions: readonly string[]): string[] {
  // The payload's type is a promise nobody kept: a NATS message can carry anything.
  if (!Array.isArray(permissions) || !permissions.every((p) => typeof p === 'string')) {
    throw invalid('permissions', 'permission.not_grantable', 'Permissions are a list of permission strings.');
  }
  const result = expandGrant(CATALOG, permissions);
  if (!result.ok) throw invalid(`permissions[${result.index}]`, 'permission.not_grantable', result.reason);
  return result.permissions;
}
