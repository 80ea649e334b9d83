import { LIMITS, MAX_INSTANT_LENGTH, MAX_USER_ID_LENGTH, isIsoInstant, isUserId } from '@accord/contracts';
import { isUuid } from '@accord/contracts';
import { invalidInput, type FieldError } from '../problem/gateway-error';

/** What `GET …/access-history` asks, checked: the service's `AccessHistoryPayload` minus the account. */
export interface AccessHistoryQuery {
  readonly userId: string;
  readonly permission: string;
  readonly at: string;
  readonly billingAccountId?: string;
}

type RawQuery = Readonly<Record<string, unknown>>;

/** The access-history query; a 400 naming every field that is wrong (`at` is required: no "now" by default). */
export function parseAccessHistoryQuery(query: RawQuery): AccessHistoryQuery {
  const errors: FieldError[] = [];
  const userId = required(query, 'userId', errors);
  const permission = required(query, 'permission', errors);
  const at = required(query, 'at', errors);
  const billingAccountId = once(query, 'billingAccountId', errors);
  if (userId !== undefined && !isUserId(userId))
    errors.push({
      field: 'userId',
      message: `userId must be 1 to ${MAX_USER_ID_LENGTH} printable ASCII characters without "/" or spaces`,
    });
  if (permission !== undefined && (permission.length === 0 || permission.length > LIMITS.permission))
    errors.push({ field: 'permission', message: `permission must be 1 to ${LIMITS.permission} characters` });
  if (at !== undefined && !isIsoInstant(at))
    errors.push({
      field: 'at',
      message: `at must be an ISO-8601 date and time with a zone (Z or an offset, URL-encoded), at most ${MAX_INSTANT_LENGTH} characters`,
    });
  if (billingAccountId !== undefined && !isUuid(billingAccountId))
    errors.push({ field: 'billingAccountId', message: 'billingAccountId must be a UUID' });
  if (errors.length > 0 || userId === undefined || permission === undefined || at === undefined)
    throw invalidInput(errors);
  return { userId, permission, at, ...(billingAccountId !== undefined ? { billingAccountId } : {}) };
}

function required(query: RawQuery, field: string, errors: FieldError[]): string | undefined {
  if (query[field] === undefined) {
    errors.push({ field, message: `${field} is required` });
    return undefined;
  }
  return once(query, field, errors);
}

function once(query: RawQuery, field: string, errors: FieldError[]): string | undefined {
  const value = query[field];
  if (value === undefined || typeof value === 'string') return value;
  errors.push({ field, message: `${field} must be given once` });
  return undefined;
}
