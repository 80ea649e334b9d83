import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import type { Person } from '@accord/contracts';
import { createGatewayApp } from '../create-gateway-app';
import type { GatewayHttpOptions } from '../gateway-options';
import { FakeRequestClient } from './fake-request-client';

export const TEST_SECRET = 'unit-test-secret-of-at-least-32-characters!';

export interface Harness {
  readonly app: NestFastifyApplication;
  readonly client: FakeRequestClient;
  /** Fastify inject: no port opened. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The real gateway app on Fastify, talking to a `FakeRequestClient`. */
export async function startGateway(options: Partial<Omit<GatewayHttpOptions, 'requestClient'>> = {}): Promise<Harness> {
  const client = new FakeRequestClient();
  const app = await createGatewayApp({
    jwtSecret: TEST_SECRET,
    devTokens: false,
    ...options,
    requestClient: client,
    logger: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  return {
    app,
    client,
    request: (inject) => fastify.inject(inject),
    close: () => app.close(),
  };
}

export function person(overrides: Partial<Person> = {}): Person {
  return { userId: randomUUID(), email: 'olivia@example.com', emailVerified: true, ...overrides };
}

/** A session token as the identity provider would sign it. */
export async function tokenFor(
  who: Person,
  options: {
    readonly secret?: string;
    readonly expiresAt?: number;
    readonly alg?: string;
    readonly claims?: Record<string, unknown>;
  } = {},
): Promise<string> {
  const jwt = new SignJWT({ email: who.email, email_verified: who.emailVerified, ...options.claims })
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setSubject(who.userId)
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 3600);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_SECRET));
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
