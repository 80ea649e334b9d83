import { invalid, isUserId, isUuid, type AuthzCheckPayload } from '@accord/contracts';

// A NATS message can carry anything, whatever its TypeScript type says: every user id the
// membership service takes from a payload is checked here before anything is read or decided.

/** One format for user ids (the identity provider's `sub`, see `isUserId`); anything else is a 400. */
export function validUserId(userId: unknown, field = 'userId'): string {
  if (!isUserId(userId))
    throw invalid(field, 'user.id_invalid', 'A user id is 1–255 printable ASCII characters without "/" or spaces.');
  return userId;
}

/** The payload as a record to check field by field (a missing or non-object payload has no fields). */
export function fieldsOf(payload: unknown): Readonly<Record<string, unknown>> {
  return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
}

/** An authorization check rebuilt from checked fields (the check sits in other services' request path). */
export function authzCheckPayload(payload: unknown): AuthzCheckPayload {
  const p = fieldsOf(payload);
  const tokenId = optionalText(p, 'tokenId', 'token.id_invalid');
  // A check about a token is about the token's own user (the index knows it): no user id needed.
  const userId =
    tokenId !== undefined && (p['userId'] === undefined || p['userId'] === '') ? '' : validUserId(p['userId']);
  const accountId = stringField(p, 'accountId', 'account.id_invalid');
  const permission = stringField(p, 'permission', 'permission.invalid');
  const billingAccountId = optionalText(p, 'billingAccountId', 'billing_account.id_invalid');
  return {
    userId,
    accountId,
    permission,
    ...(tokenId !== undefined ? { tokenId } : {}),
    ...(billingAccountId !== undefined ? { billingAccountId } : {}),
    ...(p['confirmDenial'] === true ? { confirmDenial: true } : {}),
  };
}

/** A required string field, else a validation error naming it. */
export function stringField(p: Readonly<Record<string, unknown>>, field: string, code: string): string {
  const value = p[field];
  if (typeof value !== 'string') throw invalid(field, code, `${field} is a string.`);
  return value;
}

/** A required UUID field (it reaches a SQL `uuid` column), else a validation error naming it. */
export function uuidField(p: Readonly<Record<string, unknown>>, field: string, code: string): string {
  const value = stringField(p, field, code);
  if (!isUuid(value)) throw invalid(field, code, `${field} is a UUID.`);
  return value;
}

function optionalText(p: Readonly<Record<string, unknown>>, field: string, code: string): string | undefined {
  return p[field] === undefined ? undefined : stringField(p, field, code);
}
