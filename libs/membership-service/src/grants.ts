import { invalid } from '@accord/contracts';
import { parseSectionPermission } from '@accord/permissions';

/**
 * Validates permissions given to a member or a custom role and expands them for the grant's event
 * (the expanded set is stored, so a later catalog change never rewrites history).
 */
export function expandGrantedPermissions(permissions: readonly string[]): string[] {
  for (const [index, permission] of permissions.entries()) {
    if (!parseSectionPermission(permission)) {
      throw invalid(`permissions[${index}]`, 'permission.unknown', `${permission} is not a permission (use <section>:read or <section>:manage).`);
    }
  }
  return [...new Set(permissions)].sort();
}
