import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API token secrets, GitHub style: `acc_` + 32 random bytes in base62 (43 characters) + a
 * 6-character base62 CRC32 of that random part. A secret scanner recognises the prefix and checks
 * the checksum offline; the gateway path rejects a mistyped or tampered token before any look-up.
 * Only the SHA-256 is ever stored.
 */
export const TOKEN_PREFIX = 'acc_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 43; // ⌈256 bits / log2(62)⌉
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32
const SHAPE = /^acc_[0-9A-Za-z]{49}$/;

function base62(value: bigint, length: number): string {
  let out = '';
  for (let v = value; v > 0n; v /= 62n) out = ALPHABET[Number(v % 62n)] + out;
  return out.padStart(length, '0');
}

function checksum(body: string): string {
  return base62(BigInt(crc32(body)), CHECKSUM_LENGTH);
}

/** A new secret (shown to its owner once). */
export function mintToken(): string {
  const body = base62(BigInt(`0x${randomBytes(32).toString('hex')}`), BODY_LENGTH);
  return `${TOKEN_PREFIX}${body}${checksum(body)}`;
}

/** Length, alphabet and checksum: no store, no index, no I/O. */
export function isWellFormedToken(token: string): boolean {
  if (!SHAPE.test(token)) return false;
  const body = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + BODY_LENGTH);
  return checksum(body) === token.slice(TOKEN_PREFIX.length + BODY_LENGTH);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Enough of the secret to recognise it in a list, never enough to use it. */
export function tokenPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 4);
}
