import type { EventEnvelope } from '@accord/contracts';

// Keys whose values could open something: an invitation link (its nonce lets whoever holds the
// link key compute the token; its tokenHash finds the invitation), a token's hash, any secret.
const SECRET_KEY = /^(link|nonce)$|secret|password|tokenhash/i;

/** The event's data for an audit log entry: a copy without links, hashes of tokens or secrets. */
export function auditLogData(event: EventEnvelope): unknown {
  return withoutSecrets(event.data);
}

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !SECRET_KEY.test(key))
      .map(([key, child]) => [key, withoutSecrets(child)]),
  );
}
