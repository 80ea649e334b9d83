import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, loadPublicKey, loadSigningKey } from './audit-keys';

describe('audit signing keys', () => {
  it('generates a pair whose private key signs what its public key verifies', () => {
    const { privateKeyPem, publicKeyPem } = generateSigningKey();
    expect(privateKeyPem).toContain('-----BEGIN PRIVATE KEY-----');
    expect(publicKeyPem).toContain('-----BEGIN PUBLIC KEY-----');

    const message = Buffer.from('head');
    const signature = sign(null, message, loadSigningKey(privateKeyPem));
    expect(verify(null, message, loadPublicKey(publicKeyPem), signature)).toBe(true);
  });

  it('reads a PEM whose line feeds are written as \\n, as environment files hold it', () => {
    const { privateKeyPem } = generateSigningKey();
    expect(loadSigningKey(privateKeyPem.replace(/\n/g, '\\n')).asymmetricKeyType).toBe('ed25519');
  });

  it('refuses anything but an Ed25519 private key, naming AUDIT_SIGNING_KEY and never the key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const { publicKeyPem } = generateSigningKey();
    for (const pem of [rsa, publicKeyPem]) {
      expect(() => loadSigningKey(pem)).toThrow(/AUDIT_SIGNING_KEY is not an Ed25519 private key/);
    }
    for (const value of ['not a key', '', '/no/such/key.pem']) {
      expect(() => loadSigningKey(value)).toThrow(
        /AUDIT_SIGNING_KEY is neither PEM text nor the path of a readable file/,
      );
    }
    const error = captured(() => loadSigningKey(rsa));
    expect(String(error)).toMatch(/AUDIT_SIGNING_KEY/);
    expect(String(error)).not.toContain(rsa.split('\n')[1]);
  });

  it('refuses a public key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => loadPublicKey(rsa)).toThrow(/not an Ed25519/);
    expect(() => loadPublicKey('garbage')).toThrow(/neither PEM text nor the path/);
  });

  it('reads either key from a file named instead of the PEM', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-keys-'));
    try {
      const { privateKeyPem, publicKeyPem } = generateSigningKey();
      writeFileSync(join(dir, 'key.pem'), privateKeyPem);
      writeFileSync(join(dir, 'key.pub.pem'), publicKeyPem);
      const privateKey = loadSigningKey(join(dir, 'key.pem'));
      expect(loadPublicKey(join(dir, 'key.pub.pem')).export({ type: 'spki', format: 'pem' })).toEqual(
        createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function captured(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}
