import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The Ed25519 private key of `AUDIT_SIGNING_KEY` (PKCS#8 PEM, or a file holding it). Accepts the
 * PEM with its line feeds written as `\n`, as environment files often hold it. The error never
 * repeats the key.
 */
export function loadSigningKey(pem: string): KeyObject {
  const notEd25519 = 'AUDIT_SIGNING_KEY is not an Ed25519 private key in PKCS#8 PEM (`accord audit keygen` makes one)';
  const text = pemOrFile(pem, 'AUDIT_SIGNING_KEY');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: unescapeLineFeeds(text), format: 'pem' });
  } catch {
    throw new Error(notEd25519);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(notEd25519);
  return key;
}

/** An Ed25519 public key from SPKI PEM (a private key's PEM gives its public half). */
export function loadPublicKey(pem: string): KeyObject {
  const notEd25519 = 'The public key is not an Ed25519 key in SPKI PEM';
  const text = pemOrFile(pem, 'The public key');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: unescapeLineFeeds(text), format: 'pem' });
  } catch {
    throw new Error(notEd25519);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(notEd25519);
  return key;
}

/** A new Ed25519 key pair: the private key for AUDIT_SIGNING_KEY, the public one for verifiers. */
export function generateSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKeyPem(publicKey),
  };
}

/** The SPKI PEM of a public key, or of a private key's public half. */
export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

function unescapeLineFeeds(pem: string): string {
  return pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
}

/**
 * A key is given as PEM text or as the path of a file holding it (`AUDIT_SIGNING_KEY=/etc/accord/audit.pem`),
 * the same everywhere: the gateway, `npm start` and the CLI. The error never repeats the value.
 */
function pemOrFile(value: string, what: string): string {
  if (value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch {
    throw new Error(`${what} is neither PEM text nor the path of a readable file`);
  }
}
