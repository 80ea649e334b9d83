import { randomUUID } from 'node:crypto';
import { sessionToken } from '../../../shared/session-token';

/** Someone the load acts as: a signed-in person with a verified e-mail address. */
export interface LoadPerson {
  readonly userId: string;
  readonly email: string;
  /** `Bearer` session token for this person. */
  readonly token: string;
}

/** A fresh person with a unique address under `run` (so runs never meet). */
export async function newPerson(secret: string, run: string, role: string): Promise<LoadPerson> {
  const userId = randomUUID();
  const email = `${role}-${userId.slice(0, 8)}@${run}.drill.example.com`;
  return { userId, email, token: await sessionToken(secret, { email, userId }) };
}
