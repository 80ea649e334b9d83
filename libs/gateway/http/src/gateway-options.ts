import type { KeyObject } from 'node:crypto';
import type { RequestClient } from '@accord/messaging';
import type { AccordMetrics, ProcessLogger } from '@accord/service-kit';
import type { IdempotencyStore } from './idempotency/idempotency-store';

/** What the composing app gives the HTTP gateway. */
export interface GatewayHttpOptions {
  /** HS256 secret shared with the identity provider; at least 32 characters. */
  readonly jwtSecret: string;
  /** Registers `POST /v1/dev/tokens` (self-issued tokens): the embedded profile only, never production. */
  readonly devTokens: boolean;
  /** Readiness of what stands behind the gateway; `GET /health` answers 503 until it resolves true. */
  readonly ready?: () => Promise<boolean>;
  /**
   * Readiness details (SEC-3c): which projections, read models, reactors or consumers
   * stopped on an event they could not handle, and which services did not answer. `GET /health`
   * shows it (degraded, still 200). Embedded: the process's registry; services: the services'
   * registries gathered over `accord.health.<service>`.
   */
  readonly health?: () => Promise<HealthReport>;
  /** Accept attempts (by id or by link) per user per minute before 429; default 10. */
  readonly acceptAttemptsPerMinute?: number;
  /** The port to the services of the running profile (NATS or in-process), provided as `REQUEST_CLIENT`. */
  readonly requestClient: RequestClient;
  /**
   * Where `Idempotency-Key` outcomes are kept: `SqlIdempotencyStore` on the profile's database, so
   * they survive restarts and every replica shares them. Default: in this process's memory (unit specs only).
   */
  readonly idempotencyStore?: IdempotencyStore;
  /**
   * The Ed25519 private key (AUDIT_SIGNING_KEY) that signs `GET …/audit-log/export`. Without it
   * the export answers 503 and the rest of the API works.
   */
  readonly auditSigningKey?: KeyObject;
}

/** One stopped component, as `/health` shows it (the event's ids and position, never its data). */
export interface FailedComponentReport {
  readonly name: string;
  readonly service?: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly position: number;
  readonly error: string;
  /** ISO-8601 UTC. */
  readonly since: string;
}

/** Same shape as `HealthReport` of @accord/runtime (the gateway does not depend on the runtime). */
export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly failed?: readonly FailedComponentReport[];
  /** Services that did not answer in time. */
  readonly unreachable?: readonly string[];
}

/** Options of `createGatewayApp`: the module's, plus whether Nest logs. */
export interface GatewayAppOptions extends GatewayHttpOptions {
  /** The built web console (dist/console) to serve at `/`; absent or not built: the API alone. */
  readonly consoleDir?: string;
  /**
   * Nest's logger on (default) or off (tests), or the process's pino logger: then Nest's lines and
   * one `request completed` line per request are JSON with the request's ids.
   */
  readonly logger?: boolean | ProcessLogger;
  /**
   * The process's metrics (`processMetrics()`): the gateway records each request's duration by
   * route template and status, and serves them all at `GET /metrics`. Without it, no `/metrics`.
   */
  readonly metrics?: AccordMetrics;
}

/** Nest token of the `GatewayHttpOptions` inside the gateway module. */
export const GATEWAY_OPTIONS = Symbol('GATEWAY_OPTIONS');

export const MIN_JWT_SECRET_LENGTH = 32;

/** Refuses options that would make the gateway unsafe or useless, naming the option. */
export function assertGatewayOptions(options: GatewayHttpOptions): void {
  if (typeof options.jwtSecret !== 'string' || options.jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    // A short HS256 secret can be brute-forced offline from any token, then every token forged.
    throw new Error(`gateway option jwtSecret must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
  }
  if (typeof options.devTokens !== 'boolean') throw new Error('gateway option devTokens must be a boolean');
  if (!options.requestClient || typeof options.requestClient.send !== 'function') {
    throw new Error('gateway option requestClient must be a RequestClient');
  }
  const key = options.auditSigningKey;
  if (key !== undefined && (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519')) {
    throw new Error('gateway option auditSigningKey must be an Ed25519 private key');
  }
}
