import { Inject, Injectable } from '@nestjs/common';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { Actor, Person } from '@accord/contracts';
import { GATEWAY_OPTIONS, type GatewayHttpOptions } from '../gateway-options';
import { GatewayError } from '../problem/gateway-error';

/** Who a verified token speaks for, and who is really acting. */
export interface Identity {
  readonly person: Person;
  /** `via: 'impersonation'` with the admin's id when an RFC 8693 `act` claim names a platform admin. */
  readonly actor: Actor;
  /** An internal service (claim `platform_service: true`) may ask the authorization check about anyone. */
  readonly internalService: boolean;
  /** Set when the request carries an API token: it acts for its user in this one account only. */
  readonly apiToken?: { readonly tokenId: string; readonly accountId: string };
}

/** A signed token and when it stops being accepted (ISO-8601 UTC). */
export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: string;
}

/**
 * Verifies (and, for dev tokens, signs) the session JWT: HS256 with the configured secret.
 * The algorithm is pinned: accepting the token's own `alg` would let `none` or an RS256/HS256
 * confusion through. `exp` is required: a token without one would be valid forever.
 */
@Injectable()
export class JwtCodec {
  private readonly key: Uint8Array;

  constructor(@Inject(GATEWAY_OPTIONS) options: GatewayHttpOptions) {
    this.key = new TextEncoder().encode(options.jwtSecret);
  }

  /** The identity the token vouches for; a 401 `GatewayError` when it is not acceptable. */
  async verify(token: string): Promise<Identity> {
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      }));
    } catch (error) {
      // jose's message says which check failed; the client only learns expired vs not acceptable.
      throw error instanceof joseErrors.JWTExpired
        ? unauthenticated('auth.token_expired', 'the bearer token has expired; sign in again')
        : invalidToken();
    }
    const { sub, email, email_verified: emailVerified } = claims;
    if (typeof sub !== 'string' || sub.length === 0 || typeof email !== 'string' || email.trim().length === 0)
      throw invalidToken();
    // Only an explicit `true` vouches for the address: invitations are handed out by e-mail.
    const person: Person = { userId: sub, email: email.trim(), emailVerified: emailVerified === true };
    return { person, actor: actorOf(sub, claims['act']), internalService: claims['platform_service'] === true };
  }

  async sign(person: Person, ttlSeconds: number, now: Date = new Date()): Promise<IssuedToken> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + ttlSeconds;
    const token = await new SignJWT({ email: person.email, email_verified: person.emailVerified })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(person.userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.key);
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }
}

export function unauthenticated(code: string, message: string): GatewayError {
  return new GatewayError({ kind: 'unauthenticated', code, message });
}

function invalidToken(): GatewayError {
  return unauthenticated('auth.invalid_token', 'the bearer token is not valid');
}

/**
 * RFC 8693 `act`: someone else is acting as the subject. Only a platform admin may impersonate
 * (SEC-5a); any other `act` claim makes the token unacceptable rather than letting a
 * delegated token pass as the user's own session.
 */
function actorOf(subject: string, act: unknown): Actor {
  if (act === undefined) return { userId: subject, via: 'session' };
  if (typeof act === 'object' && act !== null) {
    const { sub, platform_admin: platformAdmin } = act as Record<string, unknown>;
    if (typeof sub === 'string' && sub.length > 0 && platformAdmin === true)
      return { userId: subject, via: 'impersonation', impersonatorId: sub };
  }
  throw invalidToken();
}
