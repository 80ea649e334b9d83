import { SetMetadata } from '@nestjs/common';
import { GatewayError, accountNotFound } from '../problem/gateway-error';
import type { Identity } from './jwt';

// What each kind of caller may reach, decided once for every route (deny by default), so a new
// route cannot forget it. Services check every rule again; this is the gateway's fast path.

export const API_TOKEN_ALLOWED = 'accord:api-token-allowed';
export const HIDDEN_FROM_IMPERSONATION = 'accord:hidden-from-impersonation';

/**
 * Opens a route without an `:accountId` to API tokens. Only for routes that confine themselves to
 * the token's account (the account list shows only it; the authorization check asks only about it).
 */
export const ApiTokenAllowed = (): MethodDecorator & ClassDecorator => SetMetadata(API_TOKEN_ALLOWED, true);

/**
 * SEC-5a: an impersonating platform admin cannot see the user's accesses — of
 * either type, so API tokens and invitations are hidden too.
 */
export const HiddenFromImpersonation = (): MethodDecorator & ClassDecorator =>
  SetMetadata(HIDDEN_FROM_IMPERSONATION, true);

export interface RouteFacts {
  readonly method: string;
  /** The `:accountId` path parameter, when the route has one. */
  readonly accountId: string | undefined;
  readonly apiTokenAllowed: boolean;
  readonly hiddenFromImpersonation: boolean;
}

const READS = new Set(['GET', 'HEAD']);

/** Throws the answer for a caller this route is not for; returns when the request may go on. */
export function enforceCallerPolicy(identity: Identity, route: RouteFacts): void {
  if (identity.apiToken) {
    // An API token acts in its own account only. Another account's routes answer exactly as for
    // an account that does not exist, so a token cannot probe which accounts its user belongs to.
    if (route.accountId !== undefined) {
      if (route.accountId.toLowerCase() !== identity.apiToken.accountId.toLowerCase()) throw accountNotFound();
    } else if (!route.apiTokenAllowed) {
      throw new GatewayError({
        kind: 'forbidden',
        code: 'token.not_allowed',
        message: 'an API token acts in its own account only; sign in for this request',
      });
    }
  }
  if (identity.actor.via === 'impersonation') {
    // Impersonation is for seeing what the user sees: it grants, changes and revokes nothing
    // (a token minted now would outlive the impersonation), and never sees accesses.
    if (!READS.has(route.method) || route.hiddenFromImpersonation) {
      throw new GatewayError({
        kind: 'forbidden',
        code: 'impersonation.forbidden',
        message:
          'not available while impersonating a user: impersonation only reads, and never sees accesses or tokens',
      });
    }
  }
}
