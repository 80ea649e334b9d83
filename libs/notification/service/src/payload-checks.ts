import { invalid, isUuid } from '@accord/contracts';

// A NATS message can carry anything, whatever its TypeScript type says (SEC-10f): every id the
// notification service takes from a payload is checked before it names a stream or a SQL row.

/** A UUID field, lower-cased as the service stores ids, or a 400 naming it. */
export function requireUuid(value: unknown, field: string): string {
  if (!isUuid(value)) throw invalid(field, 'request.invalid', `${field} must be a UUID.`);
  return value.toLowerCase();
}
