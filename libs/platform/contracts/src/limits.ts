// Every size limit the HTTP edge (DTOs), the deciders and the event schemas share, written once.
// A DTO refuses a request the decider would refuse too, with a 400 naming the field; the decider
// holds the rule for every other caller (NATS, reactions); the event schema keeps a malformed event
// out of the store. Change a limit here and all three follow.

/**
 * `<section>:read` / `<section>:manage`, or an SBS scope `service:action:resource` (`*` only as the
 * last segment), or one of the special permissions `environments:create` / `servers:transfer`
 * (AUTHZ-16, AUTHZ-17: no levels; a token may be narrowed to them, no grant gives them); the
 * services check each against the catalog.
 */
export const PERMISSION_PATTERN =
  /^(environments:create|servers:transfer|[a-z][a-z0-9-]*:(read|manage)|[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*:([A-Za-z0-9][A-Za-z0-9._-]*|\*))$/;

export const LIMITS = {
  /** Names people give (accounts, billing accounts, accesses, tokens, display names), trimmed. */
  name: 100,
  /** RFC 5321's path limit: longer addresses cannot receive mail anyway. */
  email: 254,
  /** The message of an access, shown to its recipients. */
  message: 1000,
  /** Recipients of one access (one invitation each). */
  recipients: 50,
  /** How long an account's invitation links stay valid, in hours: 1 hour to 30 days. */
  invitationExpiryHours: { min: 1, max: 30 * 24 },
  /** An account's maximum API-token lifetime, in days (null = no maximum). */
  tokenPolicyDays: { min: 1, max: 3650 },
  /** How long a rotated token's previous secret keeps working, in whole hours (0 = not at all). */
  tokenGraceHours: { min: 0, max: 24 },
  /**
   * A custom role name as the API takes it (`ROLE_NAME_PATTERN`). The decider and the event
   * schemas bound a role name by `name` only, as they always have: no stored event is refused.
   */
  customRoleName: 50,
  /** One permission string. */
  permission: 200,
  /** Permissions one request may list. */
  permissionsPerRequest: 200,
  /** An expanded permission list (combinations added at grant time). */
  expandedPermissions: 1000,
  /** A route pattern recorded under impersonation (`GET /v1/accounts/:accountId/members`). */
  impersonatedRoute: 200,
} as const;

/** A role name: lower-case letters, digits and dashes, starting with a letter; `repeat` bounds the rest. */
const roleName = (repeat: string) => new RegExp(`^[a-z][a-z0-9-]${repeat}$`);

/** Any role name, built-in or custom (what the decider and the event schemas accept). */
export const ROLE_NAME_PATTERN = roleName('*');

/** A custom role name as the API takes it: `ROLE_NAME_PATTERN` within `LIMITS.customRoleName`. */
export const CUSTOM_ROLE_NAME_PATTERN = roleName(`{0,${LIMITS.customRoleName - 1}}`);
