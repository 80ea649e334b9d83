import { invalid } from './errors';
import { LIMITS, ROLE_NAME_PATTERN } from './limits';
import { isIsoInstant } from './membership/messages';

// Keyset pagination shared by every list query (the audit log keeps its own `before` cursor).
// A list is ordered by an immutable, unique sort key; a page asks for the rows after the last key
// it has seen, never for an offset, so rows written between two page fetches cannot shift a page.

/** Page sizes of every list. */
export const PAGE_LIMITS = {
  /** Items per page when the caller does not say. */
  defaultPage: 50,
  /** Most items per page. */
  maxPage: 200,
} as const;

/**
 * A list's sort key as it travels on NATS and inside a cursor: the values of the ORDER BY columns
 * of one row, e.g. `['2030-01-31T12:00:00.000000Z', '<id>']`. Each list checks the shape it expects.
 */
export type PageKey = readonly (string | number)[];

/** The page part of a list query: how many, and after which key (absent: from the start). */
export interface PageRequest {
  /** 1 to `PAGE_LIMITS.maxPage`. */
  readonly limit: number;
  readonly after?: PageKey;
}

/** The page fields of a list query's payload (checked by `pageRequestOf`). */
export interface PagePayload {
  /** 1 to `PAGE_LIMITS.maxPage`; `PAGE_LIMITS.defaultPage` when absent. */
  readonly limit?: number;
  /** The `nextAfter` of the previous page. */
  readonly after?: PageKey;
}

/** A list of one account's things, a page at a time (billing accounts, custom roles, accesses). */
export interface AccountPagePayload extends PagePayload {
  readonly accountId: string;
}

/** One page of a list: the items, and the key to continue after (null on the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextAfter: PageKey | null;
}

/**
 * The page out of up to `limit + 1` rows fetched in key order: the extra row only tells that there
 * is more, so the last page never ends with a `next` that leads to an empty page.
 */
export function pageOf<R, T>(
  rows: readonly R[],
  limit: number,
  keyOf: (row: R) => PageKey,
  view: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(view), nextAfter: rows.length > limit && last !== undefined ? keyOf(last) : null };
}

/**
 * What one value of a sort key is: `'instant'` is a timestamp as the services write it into keys
 * (UTC, microseconds: `2030-01-31T12:00:00.123456Z`, see `PAGE_KEY_INSTANT`), `'uuid'` an id, `'string'`
 * any text, `'integer'` a safe integer. A key that reaches SQL is checked against its list's kinds
 * first: cursors are opaque but not signed, and a malformed value must be a 400, not a SQL error.
 */
export type PageKeyKind = 'string' | 'integer' | 'instant' | 'uuid';

/** The key form of an instant (`to_char(… AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`). */
export const PAGE_KEY_INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Longest text value a key may hold (a user id, an e-mail or a role name all fit). */
const MAX_KEY_TEXT = 255;

function isKeyValue(value: unknown, kind: PageKeyKind): boolean {
  switch (kind) {
    case 'integer':
      return Number.isSafeInteger(value);
    case 'string':
      return typeof value === 'string' && value.length <= MAX_KEY_TEXT;
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'instant':
      return typeof value === 'string' && PAGE_KEY_INSTANT.test(value) && isIsoInstant(value);
  }
}

/** A PageKey of exactly these kinds, in this order. */
export function isPageKeyOf(key: unknown, kinds: readonly PageKeyKind[]): key is PageKey {
  return Array.isArray(key) && key.length === kinds.length && key.every((v, i) => isKeyValue(v, kinds[i]!));
}

/**
 * The page part of a list query's payload, checked by the service that runs it (NATS callers skip
 * the gateway): `limit` defaults to `PAGE_LIMITS.defaultPage`; `after` must have the list's key kinds.
 */
export function pageRequestOf(payload: unknown, kinds: readonly PageKeyKind[]): PageRequest {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const limit = p['limit'] ?? PAGE_LIMITS.defaultPage;
  if (!Number.isSafeInteger(limit) || (limit as number) < 1 || (limit as number) > PAGE_LIMITS.maxPage)
    throw invalid('limit', 'request.invalid', `limit must be an integer from 1 to ${PAGE_LIMITS.maxPage}.`);
  const after = p['after'];
  if (after !== undefined && !isPageKeyOf(after, kinds))
    throw invalid('after', 'request.invalid', 'after must be the sort key of an item of this list.');
  return { limit: limit as number, ...(after !== undefined ? { after: after as PageKey } : {}) };
}

/** Longest `q` a list takes (an e-mail address is the longest thing it prefixes). */
export const MAX_LIST_QUERY = 254;

/**
 * The member (and invitee) list's filters from a payload, checked: `role` a role name, `q` a
 * non-empty prefix without control characters. A 400 names the field.
 */
export function memberFilterOf(payload: unknown): { readonly role?: string; readonly q?: string } {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const role = p['role'];
  const q = p['q'];
  if (role !== undefined && !isRoleFilter(role))
    throw invalid('role', 'request.invalid', 'role must be a role name (lower-case letters, digits and dashes).');
  if (q !== undefined && !isListQuery(q))
    throw invalid('q', 'request.invalid', `q must be 1 to ${MAX_LIST_QUERY} characters without control characters.`);
  return { ...(role !== undefined ? { role } : {}), ...(q !== undefined ? { q } : {}) };
}

/** A role name a list may be filtered by. */
export function isRoleFilter(value: unknown): value is string {
  return typeof value === 'string' && value.length <= LIMITS.name && ROLE_NAME_PATTERN.test(value);
}

/** A prefix a list may be searched by. */
export function isListQuery(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length >= 1 && value.length <= MAX_LIST_QUERY && !/[\x00-\x1f\x7f]/.test(value)
  );
}
