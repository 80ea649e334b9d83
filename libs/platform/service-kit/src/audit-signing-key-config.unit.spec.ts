import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '@accord/audit';
import { ConfigError, auditSigningKeyConfig, embeddedConfig, gatewayConfig } from './config';

describe('AUDIT_SIGNING_KEY', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'accord-audit-key-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const jwt = { JWT_SECRET: 'a-jwt-secret-of-at-least-32-characters!' };

  it('takes an Ed25519 PKCS#8 PEM, also with its line feeds written as \\n', () => {
    const { privateKeyPem, publicKeyPem } = generateSigningKey();
    expect(auditSigningKeyConfig({ AUDIT_SIGNING_KEY: privateKeyPem })?.publicKeyPem).toBe(publicKeyPem);
    const oneLine = privateKeyPem.replace(/\n/g, '\\n');
    expect(auditSigningKeyConfig({ AUDIT_SIGNING_KEY: oneLine })?.publicKeyPem).toBe(publicKeyPem);
  });

  it('refuses anything else at start-up, naming the variable and never echoing the value', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    for (const value of ['not-a-key-SECRETISH', rsa]) {
      const start = () => gatewayConfig({ ...jwt, AUDIT_SIGNING_KEY: value });
      expect(start).toThrow(ConfigError);
      expect(start).toThrow(/AUDIT_SIGNING_KEY/);
      expect(start).not.toThrow(/SECRETISH|PRIVATE KEY-----\n/);
    }
    expect(() => embeddedConfig({ DATA_DIR: dataDir, AUDIT_SIGNING_KEY: 'nope' })).toThrow(/AUDIT_SIGNING_KEY/);
  });

  it('the services profile generates none: the gateway starts without one', () => {
    expect(gatewayConfig(jwt).auditSigningKey).toBeUndefined();
  });

  it('the embedded profile generates one once, keeps it 0600 in DATA_DIR and writes its public half beside it', () => {
    const first = embeddedConfig({ DATA_DIR: dataDir }).auditSigningKey;
    expect(first.generatedIn).toBe(join(dataDir, 'audit-signing-key.pem'));
    expect(statSync(join(dataDir, 'audit-signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'audit-signing-key.pub.pem'), 'utf8')).toBe(first.publicKeyPem);
    const again = embeddedConfig({ DATA_DIR: dataDir }).auditSigningKey;
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
  });

  it('a configured key wins over the kept one', () => {
    const { privateKeyPem, publicKeyPem } = generateSigningKey();
    const key = embeddedConfig({ DATA_DIR: dataDir, AUDIT_SIGNING_KEY: privateKeyPem }).auditSigningKey;
    expect(key).toMatchObject({ publicKeyPem, generatedIn: undefined });
  });
});
