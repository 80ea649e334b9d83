import { InvalidArgumentError } from 'commander';
import { isUserId, isUuid, PERMISSION_PATTERN } from '@accord/contracts';

// Argument parsers for commander: every value from the command line is checked before any store
// is opened, and a refusal names what was wrong (exit 2).

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const STREAM_ID = /^[a-z][a-z0-9-]*-[A-Za-z0-9._:|@-]{1,255}$/;
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]{0,99}$/;

/** An instant with a time zone, returned as ISO-8601 UTC (what the store keeps). */
export function instant(value: string): string {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new InvalidArgumentError('expected an ISO-8601 instant with a zone, e.g. 2026-12-01T09:00:00Z');
  return new Date(ms).toISOString();
}

/** A global position (0 = before the first event). */
export function position(value: string): number {
  const n = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a non-negative integer position');
  return n;
}

export function positiveCount(value: string): number {
  const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function accountId(value: string): string {
  if (!isUuid(value)) throw new InvalidArgumentError('expected an account id (a UUID)');
  return value.toLowerCase();
}

export function billingAccountId(value: string): string {
  if (!isUuid(value)) throw new InvalidArgumentError('expected a billing account id (a UUID)');
  return value.toLowerCase();
}

export function userId(value: string): string {
  if (!isUserId(value)) throw new InvalidArgumentError('expected a user id (1-255 printable ASCII characters, no "/")');
  return value;
}

export function permission(value: string): string {
  if (value.length > 128 || !PERMISSION_PATTERN.test(value))
    throw new InvalidArgumentError('expected a permission such as billing:read or compute:instances:*');
  return value;
}

export function streamId(value: string): string {
  if (!STREAM_ID.test(value)) throw new InvalidArgumentError('expected a stream id such as account-<uuid>');
  return value;
}

/** One event type, or several separated by commas. */
export function eventTypes(value: string, previous: readonly string[] = []): string[] {
  const types = value.split(',').map((t) => t.trim());
  for (const type of types)
    if (!EVENT_TYPE.test(type)) throw new InvalidArgumentError(`"${type.slice(0, 40)}" is not an event type name`);
  return [...previous, ...types];
}
