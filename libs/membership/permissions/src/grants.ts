import { parseSectionPermission } from './permission';
import { isSbsScope, parseSbsScope } from './sbs-scope';
import { isSpecialPermission, specialNotGrantable } from './special-permissions';
import { isOwnerOnly, type Catalog } from './section-catalog';

export type GrantResult =
  | { readonly ok: true; readonly permissions: string[] }
  | { readonly ok: false; readonly index: number; readonly reason: string };

/**
 * Validate permissions given to a member, a custom role or a token (AUTHZ-7), and expand them
 * with their related sections at the same level (AUTHZ-4: `servers:read` also grants
 * `ssh-keys:read`, …). The result is what the grant's event stores. Owner-only sections cannot be
 * granted to non-owners (AUTHZ-5); sections available to all need no grant and are dropped (AUTHZ-6).
 */
export function expandGrant(catalog: Catalog, permissions: readonly string[]): GrantResult {
  const out = new Set<string>();
  for (const [index, permission] of permissions.entries()) {
    // AUTHZ-16, AUTHZ-17: held by a fact of the member (a flag, being root), never by a grant.
    if (isSpecialPermission(permission)) return { ok: false, index, reason: specialNotGrantable(permission) };
    if (isSbsScope(permission)) {
      if (!parseSbsScope(permission))
        return { ok: false, index, reason: `${permission} is not a scope (service:action:resource, * only last)` };
      out.add(permission);
      continue;
    }
    const parsed = parseSectionPermission(permission);
    if (!parsed || !catalog.sectionSet.has(parsed.section)) {
      return {
        ok: false,
        index,
        reason: `${permission} is not a permission of the catalog (<section>:read or <section>:manage)`,
      };
    }
    if (isOwnerOnly(catalog, parsed.section, parsed.level)) {
      return { ok: false, index, reason: `${parsed.section} is available to account owners only` };
    }
    if (catalog.availableToAll.includes(parsed.section)) continue;
    for (const section of catalog.closure.get(parsed.section)!) out.add(`${section}:${parsed.level}`);
  }
  return { ok: true, permissions: [...out].sort() };
}
