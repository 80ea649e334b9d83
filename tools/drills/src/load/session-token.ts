import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/** Someone the load acts as: a signed-in person with a verified e-mail address. */
export interface LoadPerson {
  readonly userId: string;
  readonly email: string;
  /** `Bearer` session token for this person. */
  readonly token: string;
}

/** A session token as the identity provider issues it (HS256, sub/email/email_verified/exp), as the bench does. */
export function sessionToken(secret: string, person: { readonly email: string; readonly userId: string }) {
  return new SignJWT({ email: person.email, email_verified: true })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(person.userId)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(secret));
}

/** A fresh person with a unique address under `run` (so runs never meet). */
export async function newPerson(secret: string, run: string, role: string): Promise<LoadPerson> {
  const userId = randomUUID();
  const email = `${role}-${userId.slice(0, 8)}@${run}.drill.example.com`;
  return { userId, email, token: await sessionToken(secret, { email, userId }) };
}
