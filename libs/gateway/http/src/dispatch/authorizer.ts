import { Injectable } from '@nestjs/common';
import { subjects, type AuthzCheckPayload } from '@accord/contracts';
import type { Caller } from '../auth/caller';
import { GatewayError, accountGone, accountNotFound } from '../problem/gateway-error';
import { Dispatcher } from './dispatcher';

/** Asks the membership service whether the caller holds a permission on an account. */
@Injectable()
export class Authorizer {
  constructor(private readonly dispatcher: Dispatcher) {}

  /** Whether the caller holds `permission` (within `billingAccountId` when given). */
  async allows(
    caller: Caller,
    accountId: string,
    permission: string,
    billingAccountId?: string,
    minPosition?: number,
  ): Promise<boolean> {
    const payload: AuthzCheckPayload = {
      ...subject(caller),
      accountId,
      permission,
      confirmDenial: true,
      ...(billingAccountId ? { billingAccountId } : {}),
    };
    return (await this.dispatcher.query(subjects.authz.check, payload, minPosition)).allowed;
  }

  /** Resolves when allowed; else 404 for a non-member, 403 (with the reason) for a member. */
  async require(caller: Caller, accountId: string, permission: string, minPosition?: number): Promise<void> {
    // Route guards confirm a denial against the store's head: lag never turns an owner away.
    const payload: AuthzCheckPayload = { ...subject(caller), accountId, permission, confirmDenial: true };
    const decision = await this.dispatcher.query(subjects.authz.check, payload, minPosition);
    if (decision.allowed) return;
    // A non-member gets the same 404 as for an account that does not exist, so account ids of
    // other tenants cannot be probed.
    if (decision.role === undefined) throw accountNotFound();
    // MEM-24: a closed account answers its member's commands with 410, not with their role's lack.
    if (decision.accountClosed) throw accountGone();
    throw new GatewayError({
      kind: 'forbidden',
      code: 'authz.denied',
      message: decision.reason || `your role lacks the permission ${permission} on this account`,
    });
  }
}

/** Who the check is about: the user, or — for a request made with an API token — the token. */
function subject(caller: Caller): { userId: string; tokenId?: string } {
  return caller.apiToken
    ? { userId: caller.person.userId, tokenId: caller.apiToken.tokenId }
    : { userId: caller.person.userId };
}
