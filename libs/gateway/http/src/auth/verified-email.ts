import { GatewayError } from '../problem/gateway-error';
import type { Caller } from './caller';

/**
 * Invitations are handed out by e-mail, and a sharer's address is shown to recipients as the
 * inviter: only an address the identity provider verified may create an account, share access,
 * or see, accept or decline what was sent to it. (An API token never vouches for an address.)
 */
export function requireVerifiedEmail(caller: Caller, toDo: string): void {
  if (!caller.person.emailVerified) {
    throw new GatewayError({
      kind: 'forbidden',
      code: 'email.unverified',
      message: `verify your e-mail address to ${toDo}`,
    });
  }
}
