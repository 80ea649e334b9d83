import { invalid } from '@accord/contracts';
import { DEFAULT_CATALOG, expandGrant, validateCatalog } from '@accord/membership-permissions';

/**
 * The catalog in force, validated when this module loads: an unknown section or a cycle in the
 * combinations stops the service at start-up with a message naming it.
 */
export const CATALOG = validateCatalog(DEFAULT_CATALOG);

/**
 * Validates permissions given to a member or a custom role and expands them (seed 003
 * combinations) for the grant's event: the expanded set is stored, so a later catalog change
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
