/**
 * The audit log's `after` cursor: opaque to clients (base64url), a global position inside. Only a
 * cursor this gateway could have written decodes — anything else is refused, not guessed at.
 */
const PREFIX = 'before:';
const BASE64URL = /^[A-Za-z0-9_-]{1,40}$/;
const POSITION = /^(?:0|[1-9]\d{0,15})$/;

/** The cursor that continues below this global position. */
export function encodeAuditCursor(position: number): string {
  return Buffer.from(`${PREFIX}${position}`, 'utf8').toString('base64url');
}

/** The global position inside a cursor, or undefined when it is not one of ours. */
export function decodeAuditCursor(cursor: string): number | undefined {
  if (!BASE64URL.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) return undefined;
  const digits = text.slice(PREFIX.length);
  if (!POSITION.test(digits)) return undefined;
  const position = Number(digits);
  // Canonical form only: base64url decoding forgives stray bits that a re-encoding would not have.
  return Number.isSafeInteger(position) && encodeAuditCursor(position) === cursor ? position : undefined;
}
