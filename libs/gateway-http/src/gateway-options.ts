import type { RequestClient } from '@accord/messaging';

/** What the composing app gives the HTTP gateway. */
export interface GatewayHttpOptions {
  /** HS256 secret shared with the identity provider; at least 32 characters. */
  readonly jwtSecret: string;
  /** Registers `POST /v1/dev/tokens` (self-issued tokens): the embedded profile only, never production. */
  readonly devTokens: boolean;
  /** Readiness of what stands behind the gateway; `GET /health` answers 503 until it resolves true. */
  readonly ready?: () => Promise<boolean>;
  /** Accept attempts (by id or by link) per user per minute before 429; default 10. */
  readonly acceptAttemptsPerMinute?: number;
  /** The port to the services of the running profile (NATS or in-process), provided as `REQUEST_CLIENT`. */
  readonly requestClient: RequestClient;
}

/** Options of `createGatewayApp`: the module's, plus whether Nest logs. */
export interface GatewayAppOptions extends GatewayHttpOptions {
  /** Nest's logger on (default) or off (tests). */
  readonly logger?: boolean;
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
}
