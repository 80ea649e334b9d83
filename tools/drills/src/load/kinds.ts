/**
 * The request kinds of the load and what each appends when it succeeds: the events with the
 * request's correlation id and no causation id (reactions to them carry a causation id and are not
 * counted). Worked out from the deciders:
 * - create-account: Account `create` → AccountCreated.
 * - share: Access `share` → AccessShared (one event, whatever the number of recipients).
 * - accept: Access `accept` of a `delegate` access → InvitationAccepted (MemberJoined is the
 *   membership service's reaction; an `api_token` access would add ApiTokenIssued, the load shares
 *   delegate accesses only).
 * - change-role: Account `change` with only `role`, to a built-in role other than the member's
 *   current one and never `owner` → RoleChanged (same role: none; to owner from a restricted scope:
 *   MemberScopeChanged too; the load avoids both).
 * - remove-member: Account `RemoveMember` → MemberRemoved.
 * - issue-token: ApiToken `issue` → ApiTokenIssued.
 * - revoke-token: ApiToken `revoke` of a live token → ApiTokenRevoked (an already revoked one: none).
 * - authz-check, my-invitations: queries, nothing.
 */
export const EVENTS_PER_KIND: Readonly<Record<string, readonly string[]>> = {
  'create-account': ['AccountCreated'],
  share: ['AccessShared'],
  accept: ['InvitationAccepted'],
  'change-role': ['RoleChanged'],
  'remove-member': ['MemberRemoved'],
  'issue-token': ['ApiTokenIssued'],
  'revoke-token': ['ApiTokenRevoked'],
  'authz-check': [],
  'my-invitations': [],
};

export type LoadKind = keyof typeof EVENTS_PER_KIND;

/** Kinds that change state (commands); the others are queries. */
export const isCommandKind = (kind: string): boolean => (EVENTS_PER_KIND[kind]?.length ?? 0) > 0;
