import { Inject, Injectable } from '@nestjs/common';
import type { AccordEnvelope, AuthzCheckPayload, AuthzDecision, MembershipEvent, Scope } from '@accord/contracts';
import type { EventStore } from '@accord/eventstore';
import {
  evaluateMember,
  evolveAccount,
  initialAccountState,
  narrowedByToken,
  type AccountState,
} from '@accord/membership-domain';
import { EVENT_STORE, InMemoryReadModel } from '@accord/service-kit';

/** What the index keeps of an API token: enough to narrow its user's decision. */
interface TokenGrant {
  readonly accountId: string;
  readonly userId: string;
  readonly permissions: readonly string[] | null;
  readonly scope: Scope | null;
  readonly expiresAt: string | null;
  readonly revoked: boolean;
}

const MEMBERSHIP_EVENTS: ReadonlySet<string> = new Set<MembershipEvent['type']>([
  'AccountCreated',
  'MemberJoined',
  'MemberRemoved',
  'MemberLeft',
  'RoleChanged',
  'MemberPermissionsChanged',
  'MemberScopeChanged',
  'MemberDisplayNameChanged',
  'AccountDisplayNameChanged',
  'EnvironmentCreationChanged',
  'OwnershipTransferred',
  'BillingAccountCreated',
  'CustomRoleDefined',
]);

/** An event of an Account (what `evolveAccount` folds). */
const isAccountEvent = (event: AccordEnvelope): event is AccordEnvelope<MembershipEvent['type']> =>
  MEMBERSHIP_EVENTS.has(event.type);

/**
 * Every account's members, roles, permissions and scopes in memory, fed by the event store, so an
 * authorization check is a few map look-ups and never a database round trip. It folds events with
 * the domain's own `evolveAccount`: the check sees exactly the state the decider decides on.
 * Rebuilt from position 0 at start (memory: one small record per membership).
 */
@Injectable()
export class AuthzIndex extends InMemoryReadModel {
  private readonly accounts = new Map<string, AccountState>();
  private readonly tokens = new Map<string, TokenGrant>();
  constructor(@Inject(EVENT_STORE) store: EventStore) {
    super(store);
  }

  protected fold(event: AccordEnvelope): void {
    if (isAccountEvent(event)) {
      if (!event.accountId) return;
      const state = this.accounts.get(event.accountId) ?? initialAccountState();
      this.accounts.set(event.accountId, evolveAccount(state, event));
    } else if (event.type === 'ApiTokenIssued') {
      const d = event.data;
      this.tokens.set(d.tokenId, {
        accountId: d.accountId,
        userId: d.userId,
        permissions: d.permissions,
        scope: d.scope,
        expiresAt: d.expiresAt,
        revoked: false,
      });
    } else if (event.type === 'ApiTokenRevoked') {
      const d = event.data;
      const token = this.tokens.get(d.tokenId);
      if (token) this.tokens.set(d.tokenId, { ...token, revoked: true });
    }
  }

  /**
   * May `userId` — or the API token `tokenId` — do `permission` on `accountId` (within
   * `billingAccountId`)? A token's answer is its user's current answer, narrowed by the token:
   * a demotion or removal of the user narrows every token at once.
   */
  check(request: AuthzCheckPayload, now = Date.now()): AuthzDecision {
    if (request.tokenId !== undefined) return this.checkToken(request.tokenId, request, now);
    const account = this.accounts.get(request.accountId);
    const member = account?.status === 'active' ? account.members.get(request.userId) : undefined;
    if (!account || account.status !== 'active' || !member)
      return { allowed: false, reason: 'not a member of this account' };
    return { ...evaluateMember(account, member, request), role: member.role, scope: member.scope };
  }

  private checkToken(tokenId: string, request: AuthzCheckPayload, now: number): AuthzDecision {
    const token = this.tokens.get(tokenId);
    // A token of another account answers like a stranger: it is not a key to anything else.
    if (!token || token.accountId !== request.accountId)
      return { allowed: false, reason: 'not a member of this account' };
    if (token.revoked) return { allowed: false, reason: 'token revoked' };
    if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now)
      return { allowed: false, reason: 'token expired' };
    const user = this.check({ ...request, userId: token.userId, tokenId: undefined }, now);
    if (!user.allowed) return user;
    return { ...narrowedByToken(token, request), role: user.role, scope: token.scope ?? user.scope };
  }

  /** The account as this index knows it (support look-up, listing permissions). */
  account(accountId: string): AccountState | undefined {
    return this.accounts.get(accountId);
  }
}
