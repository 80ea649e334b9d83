import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) canonical JSON: keys sorted, no whitespace, numbers as ECMAScript prints them, so
 * the same value hashes and signs the same whatever the order its keys were written in.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('Only a JSON value has a canonical form');
  return text;
}
