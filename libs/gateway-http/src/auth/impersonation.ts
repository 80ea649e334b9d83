import type { Caller } from './caller';
import { GatewayError } from '../problem/gateway-error';

/**
 * Seed 000 "For Admins": a platform admin impersonating a user cannot see that user's access
 * delegations — and, by the same reasoning, cannot create or change them on the user's behalf.
 */
export function refuseImpersonation(caller: Caller): void {
  if (caller.actor.via === 'impersonation') {
    throw new GatewayError({
      kind: 'forbidden',
      code: 'impersonation.delegations_hidden',
      message: 'access delegations are not available while impersonating a user',
    });
  }
}
