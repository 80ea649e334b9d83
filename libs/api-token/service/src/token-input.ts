import { LIMITS, invalid, isUserId, type IssueTokenPayload, type Scope } from '@accord/contracts';
import { validate as isUuidString } from 'uuid';

// Payloads arrive over NATS from anyone allowed to publish there: hostile until checked. Every id is
// checked for its shape before it names a stream, a row or a request to another service.

const MAX_TEXT = 320;

/** A UUID (account, token, invitation and billing account ids), or a validation error naming `field`. */
export function requireUuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isUuidString(value))
    throw invalid(field, 'id.invalid', `${field} is not a valid id.`);
  return value;
}

/** A user id in the one documented format (the identity provider's `sub`). */
export function requireUserId(value: unknown, field: string): string {
  if (!isUserId(value)) throw invalid(field, 'user_id.invalid', `${field} is not a valid user id.`);
  return value;
}

/** A payload that is no object at all (JSON allows `null`, numbers, arrays) names no field. */
export function requireObject(payload: unknown): asserts payload is object {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw invalid('payload', 'payload.invalid', 'The request has no payload object.');
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > MAX_TEXT)
    throw invalid(field, 'text.invalid', `${field} is a string of at most ${MAX_TEXT} characters.`);
  return value;
}

function requireScope(value: unknown): Scope {
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, 'type')) {
    const { type } = value as { type: unknown };
    if (type === 'global') return { type: 'global' };
    if (type === 'restricted') {
      const billingAccountId = requireUuid(
        (value as { billingAccountId?: unknown }).billingAccountId,
        'scope.billingAccountId',
      );
      return { type: 'restricted', billingAccountId };
    }
  }
  throw invalid('scope', 'scope.invalid', 'A scope is global, or restricted to one billing account.');
}

function requirePermissions(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length > LIMITS.permissionsPerRequest)
    throw invalid('permissions', 'permissions.invalid', `At most ${LIMITS.permissionsPerRequest} permissions.`);
  return value.map((permission: unknown, index) => requireText(permission, `permissions[${index}]`));
}

/** The issue payload with every field checked for its shape (the decider checks the rules). */
export function checkedIssuePayload(payload: IssueTokenPayload): IssueTokenPayload {
  requireObject(payload);
  const issuedVia = payload.issuedVia ?? 'api';
  if (issuedVia !== 'api' && issuedVia !== 'access')
    throw invalid('issuedVia', 'token.issued_via_invalid', 'A token is issued through the API or an access.');
  return {
    issuedVia,
    accountId: requireUuid(payload.accountId, 'accountId'),
    userId: requireUserId(payload.userId, 'userId'),
    email: requireText(payload.email, 'email'),
    name: requireText(payload.name, 'name'),
    ...(payload.permissions === undefined ? {} : { permissions: requirePermissions(payload.permissions) }),
    ...(payload.scope === undefined ? {} : { scope: requireScope(payload.scope) }),
    ...(payload.expiresAt === undefined ? {} : { expiresAt: requireText(payload.expiresAt, 'expiresAt') }),
    ...(payload.invitationId === undefined ? {} : { invitationId: requireUuid(payload.invitationId, 'invitationId') }),
  };
}
