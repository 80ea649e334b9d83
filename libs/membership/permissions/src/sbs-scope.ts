/**
 * SBS scopes (AUTHZ-7, AUTHZ-8): `service:action:resource`, e.g. `account-api:query:*`. A `*` is allowed
 * only as the whole LAST segment and matches any resource; matching is exact and case-sensitive
 * otherwise, so `account-api:query:*` matches `account-api:query:x` but neither
 * `account-api:mutate:x` nor `account-api-admin:query:x`. A bare `*` is not a scope: owners hold
 * everything already, and nobody else should be able to be granted "everything" by a typo.
 */
const SEGMENT = '[A-Za-z0-9][A-Za-z0-9._-]*';
const GRANT = new RegExp(`^(${SEGMENT}):(${SEGMENT}):(${SEGMENT}|\\*)$`);
const REQUEST = new RegExp(`^(${SEGMENT}):(${SEGMENT}):(${SEGMENT})$`);

export interface SbsScope {
  readonly service: string;
  readonly action: string;
  /** null = any resource (`*`). */
  readonly resource: string | null;
}

/** A grantable scope (may end in `*`), or null when malformed. */
export function parseSbsScope(scope: string): SbsScope | null {
  const match = GRANT.exec(scope);
  return match ? { service: match[1]!, action: match[2]!, resource: match[3] === '*' ? null : match[3]! } : null;
}

/** A requested scope (a concrete resource, no `*`), or null when malformed. */
export function parseSbsRequest(requested: string): SbsScope | null {
  const match = REQUEST.exec(requested);
  return match ? { service: match[1]!, action: match[2]!, resource: match[3]! } : null;
}

/** Does the parsed grant cover the parsed request? */
export function sbsGrantCovers(grant: SbsScope, request: SbsScope): boolean {
  return (
    grant.service === request.service &&
    grant.action === request.action &&
    (grant.resource === null || grant.resource === request.resource)
  );
}

/** Does the granted scope cover the requested one (which names a concrete resource)? */
export function sbsScopeMatches(granted: string, requested: string): boolean {
  const grant = parseSbsScope(granted);
  const request = parseSbsRequest(requested);
  return grant !== null && request !== null && sbsGrantCovers(grant, request);
}

export function isSbsScope(permission: string): boolean {
  return permission.split(':').length === 3;
}
