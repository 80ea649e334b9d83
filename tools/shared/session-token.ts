import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/**
 * A session token as the identity provider issues it (HS256, sub/email/email_verified/exp), for the
 * bench and the drills. (@accord/testing has the same for specs; a tool may not depend on it.)
 */
export function sessionToken(secret: string, person: { readonly email: string; readonly userId?: string }) {
  return new SignJWT({ email: person.email, email_verified: true })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(person.userId ?? randomUUID())
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(secret));
}
