import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { InvitationLink } from '@accord/contracts';

/**
 * Invitation link tokens. The token is HMAC-SHA256(link key, nonce) with a 128-bit nonce from the
 * CSPRNG: events carry only the nonce and SHA-256(token), so the notification service (which holds
 * the key) can mail the link while no event, log line or read model ever holds the secret.
 * Rotating the key kills every outstanding link; resending mints a new nonce and kills the old one.
 */

/** Recognisable prefix, so a leaked link token can be spotted by a secret scanner. */
export const LINK_TOKEN_PREFIX = 'inv_';
const NONCE_BYTES = 16;
/** Prefix + 43 base64url characters (256-bit HMAC). */
const TOKEN_PATTERN = /^inv_[A-Za-z0-9_-]{43}$/;

export function newLinkNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64url');
}

export function linkToken(key: string, nonce: string): string {
  return LINK_TOKEN_PREFIX + createHmac('sha256', key).update(nonce).digest('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A fresh link: the nonce and hash go into the event, the token only into the e-mail. */
export function newInvitationLink(key: string): InvitationLink & { readonly token: string } {
  const nonce = newLinkNonce();
  const token = linkToken(key, nonce);
  return { nonce, tokenHash: tokenHash(token), token };
}

/** Cheap shape check before any look-up: garbage never reaches the store. */
export function isWellFormedLinkToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Constant-time comparison of a presented token's hash with a stored one. */
export function hashesMatch(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
