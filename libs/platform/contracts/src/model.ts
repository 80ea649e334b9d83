/** The built-in roles (AUTHZ-1: owner, administrator, accountant; AUTHZ-3: read-only). */
export const ROLES = ['owner', 'administrator', 'accountant', 'read-only'] as const;
export type Role = (typeof ROLES)[number];

/** A member's or an access's scope (MEM-15, INV-20): Global is every billing account; Restricted is one. */
export type Scope = { readonly type: 'global' } | { readonly type: 'restricted'; readonly billingAccountId: string };

/** The types of an access (INV-2): a delegate becomes a member; an API token access earns a token (INV-19). */
export const ACCESS_TYPES = ['delegate', 'api_token'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

/** Every state an invitation can be in (a list may be filtered by one). */
export const INVITATION_STATUSES = ['pending', 'accepted', 'declined', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** A person as the identity provider vouches for them (JWT claims). */
export interface Person {
  readonly userId: string;
  readonly email: string;
  readonly emailVerified: boolean;
}

/**
 * User ids are the identity provider's `sub` claim: opaque strings such as `auth0|65f0c1…`,
 * `google-oauth2|1087…` or a UUID. One format admits them all: printable ASCII, 1–255 characters,
 * no `/` (it would split a path) and no whitespace. Validated at every edge that takes one.
 */
export const USER_ID_PATTERN = /^[\x21-\x2e\x30-\x7e]{1,255}$/;
export const MAX_USER_ID_LENGTH = 255;

export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID_PATTERN.test(value);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every id Accord mints (account, access, invitation, billing account, token, webhook, notification)
 * is a UUID, in either case. Checked before an id names a stream, a row or a SQL `uuid` parameter:
 * anything else would be a 5xx there.
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
