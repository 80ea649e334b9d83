import { createHmac, timingSafeEqual } from 'node:crypto';

// Standard Webhooks (https://www.standardwebhooks.com): the signature is HMAC-SHA256, keyed with the
// base64-decoded part of the `whsec_` secret, of `{webhook-id}.{webhook-timestamp}.{body}`, sent as
// `v1,<base64>`. Receivers verify with any of that specification's libraries.

export const SECRET_PREFIX = 'whsec_';

/** The HMAC key inside a `whsec_<base64>` secret. */
export function signingKeyOf(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('not a whsec_ secret');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** The `webhook-signature` header value for one delivery attempt. */
export function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', signingKeyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers of one attempt, with the JSON content type. */
export function webhookHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': webhookSignature(secret, id, timestampSeconds, body),
  };
}

/**
 * Whether a `webhook-signature` header (space-separated `v1,<base64>` entries) holds a valid
 * signature of this delivery: how a receiver checks it, here for specs and documentation.
 */
export function verifyWebhookSignature(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
  header: string,
): boolean {
  const expected = Buffer.from(webhookSignature(secret, id, timestampSeconds, body));
  return header.split(' ').some((entry) => {
    const given = Buffer.from(entry);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
