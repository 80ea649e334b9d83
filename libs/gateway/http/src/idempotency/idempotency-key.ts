import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { invalidInput } from '../problem/gateway-error';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Methods whose requests the key makes idempotent; on any other method the header is ignored. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * The request's `Idempotency-Key`: undefined when absent, else 1–255 printable ASCII characters.
 * The draft makes the value a Structured Field string (`"…"`); a bare token is accepted too, and
 * `"abc"` and `abc` are the same key. Anything else — empty, too long, control or non-ASCII
 * characters, the header twice — is a 400 naming the header (the value is never echoed or logged).
 */
export function idempotencyKeyOf(headers: IncomingHttpHeaders, rawHeaders: readonly string[] = []): string | undefined {
  const value = headers[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined) return undefined;
  const sent = rawHeaders.filter(
    (name, index) => index % 2 === 0 && name.toLowerCase() === IDEMPOTENCY_KEY_HEADER,
  ).length;
  if (Array.isArray(value) || sent > 1) throw badKey('send one Idempotency-Key header');
  const key = unquoted(value.trim());
  if (key === undefined || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !PRINTABLE_ASCII.test(key)) {
    throw badKey(`the Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`);
  }
  return key;
}

/** `"a\"b"` → `a"b`; a bare value as is; a broken quoted string → undefined. */
function unquoted(value: string): string | undefined {
  if (!value.startsWith('"')) return value;
  const match = /^"((?:[^"\\]|\\["\\])*)"$/.exec(value);
  return match?.[1]?.replace(/\\(["\\])/g, '$1');
}

function badKey(message: string) {
  return invalidInput([{ field: 'Idempotency-Key', message }], 'idempotency.invalid_key');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The body's JSON with object keys sorted at every level, so `{"a":1,"b":2}` and `{"b":2,"a":1}`
 * are one body. No body (or an empty one) is `null`.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value === undefined ? null : value));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    Object.defineProperty(sorted, key, {
      value: sortedKeys((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return sorted;
}

/** Names of properties whose string value is a secret shown once (API token, link token, session JWT). */
const SECRET_PROPERTIES: ReadonlySet<string> = new Set([
  'token',
  'secret',
  'password',
  'apikey',
  'accesstoken',
  'refreshtoken',
]);
/** Secrets by their look: an API token (`acc_…`), an invitation link token (`inv_…`), a JWT. */
const SECRET_VALUES = [
  /^acc_[A-Za-z0-9]{10,}/,
  /^inv_[A-Za-z0-9_-]{10,}/,
  /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
];

/**
 * Whether a response body carries a secret that must not be kept at rest: a string under a
 * property named like one (`token`, `secret`, …, at any depth, e.g. `apiToken.token`), or a string
 * that looks like one. By content rather than by route, so a new route cannot forget to say so.
 */
export function carriesSecret(body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return SECRET_VALUES.some((pattern) => pattern.test(body));
  }
  return hasSecret(parsed, undefined, 0);
}

function hasSecret(value: unknown, property: string | undefined, depth: number): boolean {
  if (depth > 64) return true;
  if (typeof value === 'string') {
    return (
      (property !== undefined && SECRET_PROPERTIES.has(property.toLowerCase().replace(/[_-]/g, ''))) ||
      SECRET_VALUES.some((pattern) => pattern.test(value))
    );
  }
  if (Array.isArray(value)) return value.some((entry) => hasSecret(entry, property, depth + 1));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([key, entry]) => hasSecret(entry, key, depth + 1));
  return false;
}
