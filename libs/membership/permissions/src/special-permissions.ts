/**
 * Permissions outside the `section:level` grammar (AUTHZ-16, AUTHZ-17): each names one
 * action, is held exactly (no levels, no combinations) and is never granted through a permission
 * list — who holds it is a fact of the member, not a grant.
 */

/** "Allow user to create new environments" (AUTHZ-16): owners, and members whose flag is on. */
export const ENVIRONMENTS_CREATE = 'environments:create';

/** Server transfers between accounts are for the primary user (AUTHZ-17): the root owner alone. */
export const SERVERS_TRANSFER = 'servers:transfer';

export const SPECIAL_PERMISSIONS: readonly string[] = [ENVIRONMENTS_CREATE, SERVERS_TRANSFER];

/** Is `permission` one of the special permissions? Searched in the list, never as a property. */
export function isSpecialPermission(permission: string): boolean {
  return SPECIAL_PERMISSIONS.includes(permission);
}

/** Why a special permission cannot be put in a grant (a member's, a custom role's or a share's). */
export function specialNotGrantable(permission: string): string {
  return permission === ENVIRONMENTS_CREATE
    ? `${ENVIRONMENTS_CREATE} is given by mayCreateEnvironments, not by a permission list`
    : `${SERVERS_TRANSFER} is held by the root owner only`;
}
