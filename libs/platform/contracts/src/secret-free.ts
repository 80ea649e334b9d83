// Keys whose values could open something: an invitation link (its nonce lets whoever holds the link
// key compute the token; its tokenHash finds the invitation), a token's hash, a webhook's signing
// secret, any secret. One rule for everything that shows event data beyond Accord's own services:
// the owners' audit log and webhook deliveries.
const SECRET_KEY = /^(link|nonce)$|secret|password|tokenhash/i;

/** A copy of event data without the values of secret keys, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !SECRET_KEY.test(key))
      .map(([key, child]) => [key, withoutSecrets(child)]),
  );
}
