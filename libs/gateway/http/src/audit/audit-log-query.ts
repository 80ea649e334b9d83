import { AUDIT_LOG_LIMITS, EVENT_CONTEXT, isUserId } from '@accord/contracts';
import { invalidInput, type FieldError } from '../problem/gateway-error';
import { decodeAuditCursor } from './audit-log-cursor';

/** What `GET …/audit-log` asks, checked: the service's `AuditLogPayload` minus the account. */
export interface AuditLogQuery {
  readonly before?: number;
  readonly limit: number;
  readonly types?: readonly string[];
  readonly actorId?: string;
  readonly from?: string;
  readonly to?: string;
}

/** What `GET …/audit-log/export` asks, checked. */
export interface AuditExportQuery {
  readonly from?: string;
  readonly to?: string;
}

type RawQuery = Readonly<Record<string, unknown>>;

/** The audit log page's query; a 400 naming every field that is wrong. */
export function parseAuditLogQuery(query: RawQuery): AuditLogQuery {
  const errors: FieldError[] = [];
  const after = single(query, 'after', errors);
  const limit = single(query, 'limit', errors);
  const actorId = single(query, 'actorId', errors);
  const before = after === undefined ? undefined : positionOf(after, errors);
  const types = typesOf(query['type'], errors);
  if (actorId !== undefined && !isUserId(actorId))
    errors.push({ field: 'actorId', message: 'actorId must be a user id (1–255 printable characters, no "/")' });
  const range = rangeOf(query, errors);
  if (errors.length > 0) throw invalidInput(errors);
  return {
    limit: limit === undefined ? AUDIT_LOG_LIMITS.defaultPage : Number(limit),
    ...(before !== undefined ? { before } : {}),
    ...(types !== undefined ? { types } : {}),
    ...(actorId !== undefined ? { actorId } : {}),
    ...range,
  };
}

function positionOf(cursor: string, errors: FieldError[]): number | undefined {
  const position = decodeAuditCursor(cursor);
  if (position === undefined) errors.push({ field: 'after', message: 'after must be the `next` cursor of a page' });
  return position;
}

/** The export's query: `from` and `to` only (a page's parameters mean nothing to a whole export). */
export function parseAuditExportQuery(query: RawQuery): AuditExportQuery {
  const errors: FieldError[] = [];
  for (const name of ['after', 'limit', 'type', 'actorId'])
    if (query[name] !== undefined) errors.push({ field: name, message: `${name} is not a parameter of the export` });
  const range = rangeOf(query, errors);
  if (errors.length > 0) throw invalidInput(errors);
  return range;
}

function single(query: RawQuery, field: string, errors: FieldError[]): string | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    errors.push({ field, message: `${field} must be given once` });
    return undefined;
  }
  if (field === 'limit' && !isPageLimit(value))
    errors.push({ field, message: `limit must be an integer from 1 to ${AUDIT_LOG_LIMITS.maxPage}` });
  return value;
}

function isPageLimit(value: string): boolean {
  return /^[1-9]\d{0,3}$/.test(value) && Number(value) <= AUDIT_LOG_LIMITS.maxPage;
}

/** `type=A,B` and `type=A&type=B` alike; each a known event type. */
function typesOf(raw: unknown, errors: FieldError[]): readonly string[] | undefined {
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
  // Object.hasOwn: "constructor" is no event type.
  const known = values.every((t) => typeof t === 'string' && Object.hasOwn(EVENT_CONTEXT, t));
  if (!known || values.length === 0) {
    errors.push({ field: 'type', message: 'type must be one or more event types, e.g. RoleChanged,MemberJoined' });
    return undefined;
  }
  return [...new Set(values as string[])];
}

function rangeOf(query: RawQuery, errors: FieldError[]): { from?: string; to?: string } {
  const from = instantOf(query, 'from', errors);
  const to = instantOf(query, 'to', errors);
  if (from !== undefined && to !== undefined && from >= to)
    errors.push({ field: 'to', message: 'to must be after from' });
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

function instantOf(query: RawQuery, field: string, errors: FieldError[]): string | undefined {
  const raw = single(query, field, errors);
  if (raw === undefined) return undefined;
  const instant = parseInstant(raw);
  if (instant === undefined)
    errors.push({ field, message: `${field} must be an ISO-8601 date or date-time, e.g. 2030-01-31T12:00:00Z` });
  return instant;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO-8601 date (midnight UTC) or date-time with `Z` or an offset, as `toISOString()` writes it;
 * undefined for anything else, including dates that do not exist (Date.parse takes 30 February).
 */
export function parseInstant(raw: string): string | undefined {
  const date = DATE.exec(raw) ?? DATE_TIME.exec(raw);
  if (!date) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', oh = '0', om = '0'] = date;
  const year = Number(y);
  const month = Number(mo);
  if (month < 1 || month > 12 || Number(d) < 1 || Number(d) > daysIn(year, month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || Number(oh) > 23 || Number(om) > 59) return undefined;
  const time = Date.parse(DATE.test(raw) ? `${raw}T00:00:00Z` : raw);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
