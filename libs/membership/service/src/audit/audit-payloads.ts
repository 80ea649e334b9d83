import {
  AUDIT_LOG_LIMITS,
  EVENT_CONTEXT,
  invalid,
  type AuditEventsPayload,
  type AuditLogPayload,
} from '@accord/contracts';
import { fieldsOf, stringField, validUserId } from '../payloads';

// The gateway validated these already; a NATS message can still carry anything, so each field is
// checked again before it reaches a store query (and rebuilt, so nothing unchecked travels on).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The one form the gateway sends: `Date.prototype.toISOString()`. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An audit log query rebuilt from checked fields. */
export function auditLogPayload(payload: unknown): AuditLogPayload {
  const p = fieldsOf(payload);
  const before = optionalPosition(p, 'before');
  const types = optionalTypes(p);
  const actorId = p['actorId'] === undefined ? undefined : validUserId(p['actorId'], 'actorId');
  return {
    accountId: accountId(p),
    limit: pageLimit(p, AUDIT_LOG_LIMITS.maxPage),
    ...(before !== undefined ? { before } : {}),
    ...(types !== undefined ? { types } : {}),
    ...(actorId !== undefined ? { actorId } : {}),
    ...range(p),
  };
}

/** An export page query rebuilt from checked fields. */
export function auditEventsPayload(payload: unknown): AuditEventsPayload {
  const p = fieldsOf(payload);
  return {
    accountId: accountId(p),
    after: optionalPosition(p, 'after') ?? 0,
    limit: pageLimit(p, AUDIT_LOG_LIMITS.maxEventsPage),
    ...range(p),
  };
}

function accountId(p: Readonly<Record<string, unknown>>): string {
  const value = stringField(p, 'accountId', 'account.id_invalid');
  if (!UUID.test(value)) throw invalid('accountId', 'account.id_invalid', 'accountId is a lower-case UUID.');
  return value;
}

function optionalPosition(p: Readonly<Record<string, unknown>>, field: string): number | undefined {
  const value = p[field];
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw invalid(field, 'audit.position_invalid', `${field} is a non-negative integer.`);
  return value as number;
}

function pageLimit(p: Readonly<Record<string, unknown>>, max: number): number {
  const value = p['limit'];
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > max)
    throw invalid('limit', 'audit.limit_invalid', `limit is an integer from 1 to ${max}.`);
  return value as number;
}

function optionalTypes(p: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  const value = p['types'];
  if (value === undefined) return undefined;
  // Object.hasOwn: an event type named "constructor" is no event type.
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((t) => typeof t === 'string' && Object.hasOwn(EVENT_CONTEXT, t))
  )
    throw invalid('types', 'audit.type_invalid', 'types lists known event types.');
  return [...new Set(value as string[])];
}

function range(p: Readonly<Record<string, unknown>>): { from?: string; to?: string } {
  const from = optionalInstant(p, 'from');
  const to = optionalInstant(p, 'to');
  if (from !== undefined && to !== undefined && from >= to)
    throw invalid('to', 'audit.range_invalid', 'to must be after from.');
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

function optionalInstant(p: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const value = p[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isIsoUtc(value))
    throw invalid(field, 'audit.instant_invalid', `${field} is an ISO-8601 UTC instant (YYYY-MM-DDTHH:MM:SS.sssZ).`);
  return value;
}

/** Exactly `toISOString()`'s form, of a real instant (no 31 February). */
function isIsoUtc(value: string): boolean {
  if (!ISO_UTC.test(value)) return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}
