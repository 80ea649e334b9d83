import { randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSigningKey, loadSigningKey, publicKeyPem } from '@accord/audit';
import type { NatsAuth } from '@accord/messaging';
import { DEFAULT_LOG_LEVEL, isLogLevel, LOG_LEVELS, type LogLevel } from './logging/log-level';

/**
 * Configuration is read and validated once, at the composition root; an invalid value stops
 * start-up with a message naming the variable.
 */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function port(env: Env, name = 'PORT', fallback = 3000): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new ConfigError(name, `must be a port number, got "${raw}"`);
  return value;
}

export function url(env: Env, name: string, fallback: string, protocols: readonly string[]): string {
  const raw = env[name] || fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw.replace(/\/\/[^@/]*@/, '//***@')}"`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must start with ${protocols.join(' or ')}`);
  return raw;
}

export function secret(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  // HS256 wants at least 256 bits of key; refuse a weak one rather than sign with it.
  if (Buffer.byteLength(raw) < 32) throw new ConfigError(name, 'must be at least 32 bytes long');
  return raw;
}

/** LOG_LEVEL: how much every process logs (`info` when unset); anything else stops start-up. */
export function logLevelConfig(env: Env = process.env): LogLevel {
  const raw = env['LOG_LEVEL'];
  if (raw === undefined || raw === '') return DEFAULT_LOG_LEVEL;
  if (!isLogLevel(raw)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw;
}

/** The embedded profile (`npm start`): one process, PGlite under DATA_DIR, dev tokens on. */
export interface EmbeddedConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly jwtSecret: string;
  readonly jwtSecretGenerated: boolean;
  /** HMAC key of invitation links (INVITATION_LINK_KEY, or generated and kept in DATA_DIR). */
  readonly linkKey: string;
  /** Base URL put in e-mailed links (PUBLIC_URL). */
  readonly publicUrl: string;
  /** SMTP server for e-mail; without it, e-mails are written as .eml files under DATA_DIR/mail. */
  readonly smtpUrl: string | undefined;
  /**
   * The dev token endpoint (anyone becomes anyone): on only while the server listens on loopback,
   * unless ACCORD_DEV_TOKENS says otherwise (`1` on any interface, `0` never).
   */
  readonly devTokens: boolean;
  /** Signs audit exports: AUDIT_SIGNING_KEY, or generated once and kept in DATA_DIR. */
  readonly auditSigningKey: AuditSigningKey;
}

/** A secret from the environment, else one generated once and kept (0600) in the data directory. */
function keptSecret(env: Env, name: string, dataDir: string, file: string): { value: string; generated: boolean } {
  const configured = secret(env, name);
  if (configured) return { value: configured, generated: false };
  const path = join(dataDir, file);
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return { value: readFileSync(path, 'utf8').trim(), generated: true };
}

export function embeddedConfig(env: Env = process.env): EmbeddedConfig {
  const dataDir = resolve(env['DATA_DIR'] || './data');
  mkdirSync(dataDir, { recursive: true });
  // Without the secrets, generate them once and keep them beside the data, so tokens and
  // invitation links survive a restart.
  const jwt = keptSecret(env, 'JWT_SECRET', dataDir, 'jwt-secret');
  const port_ = port(env);
  const host = env['HOST'] || '127.0.0.1';
  return {
    port: port_,
    host,
    dataDir,
    jwtSecret: jwt.value,
    jwtSecretGenerated: jwt.generated,
    linkKey: keptSecret(env, 'INVITATION_LINK_KEY', dataDir, 'invitation-link-key').value,
    publicUrl: url(env, 'PUBLIC_URL', `http://localhost:${port_ || 3000}`, ['http:', 'https:']),
    smtpUrl: env['SMTP_URL'] ? url(env, 'SMTP_URL', '', ['smtp:', 'smtps:']) : undefined,
    devTokens: devTokensOn(env, host),
    auditSigningKey: auditSigningKeyConfig(env) ?? keptAuditSigningKey(dataDir),
  };
}

/**
 * Where the built web console is (CONSOLE_DIR, default `dist/console` under the working directory,
 * where `npm run build` and `npm start` put it, as does the image). Not built: the API alone.
 */
export function consoleDir(env: Env = process.env): string {
  return resolve(env['CONSOLE_DIR'] || 'dist/console');
}

/** Loopback interfaces: only this machine can reach a server bound to them. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function devTokensOn(env: Env, host: string): boolean {
  const raw = env['ACCORD_DEV_TOKENS'];
  if (raw === undefined || raw === '') return isLoopbackHost(host);
  if (raw === '1') return true;
  if (raw === '0') return false;
  throw new ConfigError('ACCORD_DEV_TOKENS', `must be 1 (on) or 0 (off), got "${raw}"`);
}

/** The services profile (`npm run start:services`): PostgreSQL + NATS, one process per app. */
export interface ServicesConfig {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  /** Prefix for NATS subjects and the JetStream stream, so test runs never collide. */
  readonly natsPrefix: string;
  /** This process's NATS identity, passed to every NATS connection it makes; `{}` = no auth. */
  readonly natsAuth: NatsAuth;
  /** The service's HTTP ops port (`/health/live`, `/health`, `/metrics`): OPS_PORT, default 9464; 0 picks one. */
  readonly opsPort: number;
  /** Where the ops port listens: OPS_HOST, default 0.0.0.0 (probes and Prometheus come from outside). */
  readonly opsHost: string;
}

/** Default ops port: 9464, OpenTelemetry's default for a Prometheus exporter beside an app. */
export const DEFAULT_OPS_PORT = 9464;

export function servicesConfig(env: Env = process.env): ServicesConfig {
  const natsPrefix = env['NATS_PREFIX'] ?? '';
  if (natsPrefix && !/^[A-Za-z0-9_-]+$/.test(natsPrefix))
    throw new ConfigError('NATS_PREFIX', 'may hold letters, digits, - and _ only');
  return {
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/accord', ['postgres:', 'postgresql:']),
    natsUrl: url(env, 'NATS_URL', 'nats://127.0.0.1:4222', ['nats:', 'tls:']),
    natsPrefix,
    natsAuth: natsAuthConfig(env),
    opsPort: port(env, 'OPS_PORT', DEFAULT_OPS_PORT),
    opsHost: env['OPS_HOST'] || '0.0.0.0',
  };
}

/** A subject prefix: dot-separated, non-empty tokens of printable ASCII, no wildcard. */
function isSubjectPrefix(value: string): boolean {
  return value.split('.').every((token) => /^[!-~]+$/.test(token) && !/[*>]/.test(token));
}

/**
 * NATS authentication (DESIGN.md "Trust"): `NATS_USER` + `NATS_PASS`, or `NATS_CREDS` (path of a
 * credentials file), or none of them for a server without auth. With a user, replies come back on
 * `_INBOX.<user>.…` (the shipped nats-server config lets each user subscribe to its own inbox
 * only); `NATS_INBOX_PREFIX` overrides it (e.g. with a creds file, whose permissions name it).
 */
export function natsAuthConfig(env: Env = process.env): NatsAuth {
  const user = env['NATS_USER'] || undefined;
  const pass = env['NATS_PASS'] || undefined;
  const creds = env['NATS_CREDS'] || undefined;
  if (creds && (user || pass))
    throw new ConfigError('NATS_CREDS', 'cannot be combined with NATS_USER/NATS_PASS: set one or the other');
  if (user && !pass) throw new ConfigError('NATS_PASS', 'is required when NATS_USER is set');
  if (pass && !user) throw new ConfigError('NATS_USER', 'is required when NATS_PASS is set');
  if (user && /[\s.*>]/.test(user) && !env['NATS_INBOX_PREFIX']) {
    throw new ConfigError('NATS_USER', 'may not contain whitespace, ".", "*" or ">" unless NATS_INBOX_PREFIX is set');
  }
  let credsFile: string | undefined;
  if (creds) {
    credsFile = resolve(creds);
    if (!statSync(credsFile, { throwIfNoEntry: false })?.isFile())
      throw new ConfigError('NATS_CREDS', `must name an existing file, got ${credsFile}`);
  }
  const inboxPrefix = env['NATS_INBOX_PREFIX'] || (user ? `_INBOX.${user}` : undefined);
  if (inboxPrefix !== undefined && !isSubjectPrefix(inboxPrefix)) {
    throw new ConfigError('NATS_INBOX_PREFIX', 'must be dot-separated subject tokens without "*", ">" or whitespace');
  }
  return {
    ...(user && pass ? { user, pass } : {}),
    ...(credsFile ? { credsFile } : {}),
    ...(inboxPrefix ? { inboxPrefix } : {}),
  };
}

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly jwtSecret: string;
  /** AUDIT_SIGNING_KEY; without it the gateway serves no audit export (the services profile generates none). */
  readonly auditSigningKey: AuditSigningKey | undefined;
}

export function gatewayConfig(env: Env = process.env): GatewayConfig {
  const jwtSecret = secret(env, 'JWT_SECRET');
  if (!jwtSecret) throw new ConfigError('JWT_SECRET', 'is required in the services profile');
  return { port: port(env), host: env['HOST'] || '127.0.0.1', jwtSecret, auditSigningKey: auditSigningKeyConfig(env) };
}

/** The Ed25519 key that signs audit exports, and where its public half can be found. */
export interface AuditSigningKey {
  readonly privateKey: KeyObject;
  /** SPKI PEM: what `accord audit verify --public-key` takes. Never a secret. */
  readonly publicKeyPem: string;
  /** Generated by the embedded profile and kept in this file (0600), not configured. */
  readonly generatedIn: string | undefined;
  /** The public half written beside it, for verifiers. */
  readonly publicKeyFile: string | undefined;
}

const AUDIT_KEY_FORMAT =
  'must be an Ed25519 private key in PKCS#8 PEM, or the path of a file holding one (`accord audit keygen` makes one)';

/**
 * AUDIT_SIGNING_KEY (PKCS#8 PEM, or the path of a file holding it; `\n` escapes are taken as line
 * breaks, for env files that hold one line). Unset → undefined. The error names the variable, never
 * any part of its value.
 */
export function auditSigningKeyConfig(env: Env = process.env): AuditSigningKey | undefined {
  const raw = env['AUDIT_SIGNING_KEY'];
  if (raw === undefined || raw === '') return undefined;
  const privateKey = ed25519PrivateKey(raw);
  if (!privateKey) throw new ConfigError('AUDIT_SIGNING_KEY', AUDIT_KEY_FORMAT);
  return { privateKey, publicKeyPem: publicKeyPem(privateKey), generatedIn: undefined, publicKeyFile: undefined };
}

/** Where the embedded profile keeps the audit signing key it generated (`accord audit export` signs with it too). */
export const EMBEDDED_AUDIT_KEY_FILE = 'audit-signing-key.pem';

/** The embedded profile's own key: generated once, kept beside the data like the JWT secret. */
function keptAuditSigningKey(dataDir: string): AuditSigningKey {
  const path = join(dataDir, EMBEDDED_AUDIT_KEY_FILE);
  const publicKeyFile = join(dataDir, 'audit-signing-key.pub.pem');
  if (!existsSync(path)) writeFileSync(path, generateSigningKey().privateKeyPem, { mode: 0o600 });
  const privateKey = ed25519PrivateKey(readFileSync(path, 'utf8'));
  if (!privateKey)
    throw new ConfigError('AUDIT_SIGNING_KEY', `is not set and the key kept in ${path} ${AUDIT_KEY_FORMAT}`);
  const publicPem = publicKeyPem(privateKey);
  writeFileSync(publicKeyFile, publicPem, { mode: 0o644 });
  return { privateKey, publicKeyPem: publicPem, generatedIn: path, publicKeyFile };
}

/** The key, or undefined when the PEM is not an Ed25519 private key (the reason names no part of it). */
function ed25519PrivateKey(pem: string): KeyObject | undefined {
  try {
    return loadSigningKey(pem);
  } catch {
    return undefined;
  }
}

/** The invitation-link HMAC key of the services profile (invitation and notification services). */
export function linkKeyConfig(env: Env = process.env): string {
  const key = secret(env, 'INVITATION_LINK_KEY');
  if (!key) throw new ConfigError('INVITATION_LINK_KEY', 'is required in the services profile (at least 32 bytes)');
  return key;
}
