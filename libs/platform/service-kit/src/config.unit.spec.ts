import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, embeddedConfig, isLoopbackHost, natsAuthConfig } from './config';

describe('embedded configuration: the dev token endpoint (issue 8 rule 14)', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'accord-config-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = (env: Record<string, string>) => embeddedConfig({ DATA_DIR: dataDir, ...env });

  it('is on while the server listens on loopback', () => {
    expect(config({}).devTokens).toBe(true);
    expect(config({ HOST: '127.0.0.1' }).devTokens).toBe(true);
    expect(config({ HOST: '::1' }).devTokens).toBe(true);
  });
  it('is off on any other interface', () => {
    expect(config({ HOST: '0.0.0.0' }).devTokens).toBe(false);
    expect(config({ HOST: '10.0.0.5' }).devTokens).toBe(false);
  });
  it('ACCORD_DEV_TOKENS=1 turns it on anywhere, 0 turns it off on loopback', () => {
    expect(config({ HOST: '0.0.0.0', ACCORD_DEV_TOKENS: '1' }).devTokens).toBe(true);
    expect(config({ ACCORD_DEV_TOKENS: '0' }).devTokens).toBe(false);
  });
  it('refuses another value, naming the variable', () => {
    expect(() => config({ ACCORD_DEV_TOKENS: 'yes' })).toThrow(ConfigError);
    expect(() => config({ ACCORD_DEV_TOKENS: 'yes' })).toThrow(/ACCORD_DEV_TOKENS/);
  });
  it('knows loopback addresses', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '::1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', 'example.com', '128.0.0.1'].some(isLoopbackHost)).toBe(false);
  });
});

describe('NATS credentials (issue 8 rule 11)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'accord-nats-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('none set: no auth (a NATS without users still works)', () => expect(natsAuthConfig({})).toEqual({}));
  it('user and password: each process replies on its own inbox', () =>
    expect(natsAuthConfig({ NATS_USER: 'gateway', NATS_PASS: 'p' })).toEqual({
      user: 'gateway',
      pass: 'p',
      inboxPrefix: '_INBOX.gateway',
    }));
  it('needs both user and password, naming the missing one', () => {
    expect(() => natsAuthConfig({ NATS_USER: 'gateway' })).toThrow(/NATS_PASS/);
    expect(() => natsAuthConfig({ NATS_PASS: 'p' })).toThrow(/NATS_USER/);
  });
  it('a creds file must exist and is not combined with a password', () => {
    const creds = join(dir, 'token.creds');
    writeFileSync(creds, 'creds');
    expect(natsAuthConfig({ NATS_CREDS: creds })).toEqual({ credsFile: creds });
    expect(() => natsAuthConfig({ NATS_CREDS: join(dir, 'missing.creds') })).toThrow(/NATS_CREDS/);
    expect(() => natsAuthConfig({ NATS_CREDS: creds, NATS_USER: 'u', NATS_PASS: 'p' })).toThrow(ConfigError);
  });
  it('refuses a user name that would break its inbox subject, and a bad inbox prefix', () => {
    expect(() => natsAuthConfig({ NATS_USER: 'a.b', NATS_PASS: 'p' })).toThrow(/NATS_USER/);
    expect(() => natsAuthConfig({ NATS_USER: 'a', NATS_PASS: 'p', NATS_INBOX_PREFIX: '_INBOX.>' })).toThrow(
      /NATS_INBOX_PREFIX/,
    );
  });
});
