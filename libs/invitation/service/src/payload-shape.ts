import { ACCESS_TYPES, LIMITS, ROLES, invalid, isUserId, isUuid, type Person, type Scope } from '@accord/contracts';

// Every id and e-mail in a request payload is hostile until its shape is checked (SEC-10f): a
// service is reachable without the gateway's DTO validation, and a non-UUID would reach a SQL
// `uuid` column (a 5xx) or a state lookup. Checked before anything is read; a 400 names the field.

/** One `@`, something on each side, no whitespace or control characters. The gateway checks more. */
const EMAIL_SHAPE = /^[^\s@\x00-\x1f\x7f]+@[^\s@\x00-\x1f\x7f]+$/;

/** `value` is a UUID (every account, access, invitation and billing account id is one). */
export function requireUuid(value: unknown, field: string): string {
  if (!isUuid(value)) throw invalid(field, 'request.invalid', `${field} must be a UUID.`);
  return value;
}

export function requireEmail(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > LIMITS.email || !EMAIL_SHAPE.test(value.trim())) {
    throw invalid(
      field,
      'request.invalid',
      `${field} must be an e-mail address of at most ${LIMITS.email} characters.`,
    );
  }
  return value;
}

/** The identity provider's `sub`: printable ASCII, 1–255 characters, no `/` (DESIGN.md "Trust"). */
export function requireUserId(value: unknown, field: string): string {
  if (!isUserId(value)) throw invalid(field, 'request.invalid', `${field} must be a user id.`);
  return value;
}

export function requirePerson(value: unknown, field = 'person'): Person {
  const person = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  requireUserId(person['userId'], `${field}.userId`);
  requireEmail(person['email'], `${field}.email`);
  if (typeof person['emailVerified'] !== 'boolean')
    throw invalid(`${field}.emailVerified`, 'request.invalid', `${field}.emailVerified must be a boolean.`);
  return value as Person;
}

/** The shape of a share: ids, e-mails and the closed vocabularies (role, type, scope); returns the scope, rebuilt. */
export function requireShareShape(payload: {
  readonly accountId: unknown;
  readonly name: unknown;
  readonly message?: unknown;
  readonly type: unknown;
  readonly role: unknown;
  readonly scope: unknown;
  readonly recipients: unknown;
  readonly permissions?: unknown;
  readonly mayCreateEnvironments?: unknown;
  readonly accessExpiresAt?: unknown;
}): Scope {
  requireUuid(payload.accountId, 'accountId');
  if (typeof payload.name !== 'string') throw invalid('name', 'request.invalid', 'name must be a string.');
  if (payload.message !== undefined && typeof payload.message !== 'string')
    throw invalid('message', 'request.invalid', 'message must be a string.');
  if (!(ACCESS_TYPES as readonly unknown[]).includes(payload.type))
    throw invalid('type', 'request.invalid', `type must be one of ${ACCESS_TYPES.join(', ')}.`);
  if (!(ROLES as readonly unknown[]).includes(payload.role))
    throw invalid('role', 'request.invalid', `role must be one of ${ROLES.join(', ')}.`);
  const scope = requireScope(payload.scope);
  if (!Array.isArray(payload.recipients))
    throw invalid('recipients', 'request.invalid', 'recipients must be a list of e-mail addresses.');
  payload.recipients.forEach((email, index) => requireEmail(email, `recipients[${index}]`));
  // INV-26: what each permission means is the membership service's to say; here only the shape.
  if (
    payload.permissions !== undefined &&
    (!Array.isArray(payload.permissions) || !payload.permissions.every((p) => typeof p === 'string'))
  )
    throw invalid('permissions', 'request.invalid', 'permissions must be a list of permission strings.');
  if (payload.mayCreateEnvironments !== undefined && typeof payload.mayCreateEnvironments !== 'boolean')
    throw invalid('mayCreateEnvironments', 'request.invalid', 'mayCreateEnvironments must be a boolean.');
  // INV-29: whether the date is a usable end is the Access decider's to say; here only the shape.
  if (payload.accessExpiresAt !== undefined && typeof payload.accessExpiresAt !== 'string')
    throw invalid('accessExpiresAt', 'request.invalid', 'accessExpiresAt must be an ISO-8601 date and time.');
  return scope;
}

/** The shape of a list of recipient e-mails (INV-27: added to an access). */
export function requireRecipients(value: unknown): readonly string[] {
  if (!Array.isArray(value))
    throw invalid('recipients', 'request.invalid', 'recipients must be a list of e-mail addresses.');
  value.forEach((email, index) => requireEmail(email, `recipients[${index}]`));
  return value as string[];
}

/** Rebuilt from the checked fields only: nothing else a payload carries reaches an event. */
function requireScope(value: unknown): Scope {
  const scope = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (scope['type'] === 'global') return { type: 'global' };
  if (scope['type'] !== 'restricted')
    throw invalid('scope.type', 'request.invalid', 'scope.type must be global or restricted.');
  return { type: 'restricted', billingAccountId: requireUuid(scope['billingAccountId'], 'scope.billingAccountId') };
}

/** A request's payload is an object (anything else would fail on its first field as a 5xx). */
export function requirePayload<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('payload', 'request.invalid', 'The request payload must be an object.');
  return value;
}
