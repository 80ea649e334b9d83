import { Inject, Injectable } from '@nestjs/common';
import type { AccordEnvelope, AuthzCheckPayload, AuthzDecision, MembershipEvent, Scope } from '@accord/contracts';
import type { EventStore } from '@accord/eventstore';
import {
  ACCOUNT_EVENT_TYPES,
  accountChange,
  evaluateMember,
  initialAccountState,
  narrowedByToken,
  NOT_A_MEMBER,
  type AccountState,
  type ActiveAccount,
  type Member,
} from '@accord/membership-domain';
import { EVENT_STORE, InMemoryReadModel } from '@accord/service-kit';

/** What the index keeps of an API token: enough to narrow its user's decision. */
interface TokenGrant {
  readonly accountId: string;
  readonly userId: string;
  readonly permissions: readonly string[] | null;
  readonly scope: Scope | null;
  /** `expiresAt`, parsed once (ms since the epoch); null: never expires. */
  readonly expiresAtMs: number | null;
  revoked: boolean;
}

/**
 * An account as the index holds it: the domain's account state, in Maps the index owns and changes
 * in place (one event costs O(1), not a copy of every member).
 */
interface IndexedAccount extends ActiveAccount {
  rootOwnerId: string;
  name: string;
  closed?: boolean;
  readonly members: Map<string, Member>;
  readonly billingAccounts: Map<string, { readonly name: string }>;
  readonly customRoles: Map<string, readonly string[]>;
}

const NONE: AccountState = initialAccountState();

/**
 * INV-29: past the end of their access a member is denied at once, before the scheduler's removal
 * has run (which then makes them "not a member").
 */
const ACCESS_ENDED_ANSWER = { allowed: false, reason: 'access expired' } as const;
const pastAccessEnd = (member: Member, now: number): boolean =>
  member.accessExpiresAt !== undefined && Date.parse(member.accessExpiresAt) <= now;

const MEMBERSHIP_EVENTS: ReadonlySet<string> = new Set<string>(ACCOUNT_EVENT_TYPES);

/** An event of an Account (what `evolveAccount` folds). */
const isAccountEvent = (event: AccordEnvelope): event is AccordEnvelope<MembershipEvent['type']> =>
  MEMBERSHIP_EVENTS.has(event.type);

/**
 * Every account's members, roles, permissions and scopes in memory, fed by the event store, so an
 * authorization check is a few map look-ups and never a database round trip. Each event's change is
 * the domain's own `accountChange` (what `evolveAccount` applies copy-on-write), applied here in
 * place to Maps this index owns; checks are the domain's `evaluateMember`: the check sees exactly
 * the state the decider decides on. Rebuilt from position 0 at start (memory: one small record per
 * membership; envelopes are not kept).
 */
@Injectable()
export class AuthzIndex extends InMemoryReadModel {
  private readonly accounts = new Map<string, IndexedAccount>();
  private readonly tokens = new Map<string, TokenGrant>();
  constructor(@Inject(EVENT_STORE) store: EventStore) {
    super(store);
  }

  protected fold(event: AccordEnvelope): void {
    if (isAccountEvent(event)) {
      if (!event.accountId) return;
      this.applyChange(event.accountId, event);
    } else if (event.type === 'ApiTokenIssued') {
      const d = event.data;
      this.tokens.set(d.tokenId, {
        accountId: d.accountId,
        userId: d.userId,
        permissions: d.permissions,
        scope: d.scope,
        expiresAtMs: d.expiresAt === null ? null : Date.parse(d.expiresAt),
        revoked: false,
      });
    } else if (event.type === 'ApiTokenRevoked') {
      const token = this.tokens.get(event.data.tokenId);
      if (token) token.revoked = true;
    }
  }

  private applyChange(accountId: string, event: AccordEnvelope<MembershipEvent['type']>): void {
    const account = this.accounts.get(accountId);
    const change = accountChange(account ?? NONE, event);
    switch (change.kind) {
      case 'none':
        return;
      case 'created': {
        const created = change.account;
        this.accounts.set(accountId, {
          ...created,
          members: new Map(created.members),
          billingAccounts: new Map(created.billingAccounts),
          customRoles: new Map(created.customRoles),
        });
        return;
      }
    }
    // Any other change is to an active account (`accountChange` says `none` otherwise).
    if (!account) return;
    switch (change.kind) {
      case 'member':
        if (change.member) account.members.set(change.userId, change.member);
        else account.members.delete(change.userId);
        return;
      case 'rootOwner':
        account.rootOwnerId = change.rootOwnerId;
        return;
      case 'billingAccount':
        if (change.name === null) account.billingAccounts.delete(change.billingAccountId);
        else account.billingAccounts.set(change.billingAccountId, { name: change.name });
        return;
      case 'customRole':
        if (change.permissions === null) account.customRoles.delete(change.name);
        else account.customRoles.set(change.name, change.permissions);
        return;
      case 'renamed':
        account.name = change.name;
        return;
      case 'closed':
        account.closed = true;
        return;
    }
  }

  /**
   * May `userId` — or the API token `tokenId` — do `permission` on `accountId` (within
   * `billingAccountId`)? A token's answer is its user's current answer, narrowed by the token:
   * a demotion or removal of the user narrows every token at once.
   */
  check(request: AuthzCheckPayload, now = Date.now()): AuthzDecision {
    if (request.tokenId !== undefined) return this.checkToken(request.tokenId, request, now);
    return this.checkUser(request.userId, request, now);
  }

  private checkUser(userId: string, request: AuthzCheckPayload, now: number): AuthzDecision {
    const account = this.accounts.get(request.accountId);
    const member = account?.members.get(userId);
    if (!account || !member) return { allowed: false, reason: NOT_A_MEMBER };
    const answer = pastAccessEnd(member, now) ? ACCESS_ENDED_ANSWER : evaluateMember(account, member, request);
    // INV-29: the answer names the end of a time-limited access.
    const until = member.accessExpiresAt === undefined ? {} : { accessExpiresAt: member.accessExpiresAt };
    const decision = {
      allowed: answer.allowed,
      reason: answer.reason,
      role: member.role,
      scope: member.scope,
      ...until,
    };
    return account.closed ? { ...decision, accountClosed: true } : decision;
  }

  private checkToken(tokenId: string, request: AuthzCheckPayload, now: number): AuthzDecision {
    const token = this.tokens.get(tokenId);
    // A token of another account answers like a stranger: it is not a key to anything else.
    if (!token || token.accountId !== request.accountId) return { allowed: false, reason: NOT_A_MEMBER };
    if (token.revoked) return { allowed: false, reason: 'token revoked' };
    if (token.expiresAtMs !== null && token.expiresAtMs <= now) return { allowed: false, reason: 'token expired' };
    const user = this.checkUser(token.userId, request, now);
    if (!user.allowed) return user;
    const answer = narrowedByToken(token, request);
    return { allowed: answer.allowed, reason: answer.reason, role: user.role, scope: token.scope ?? user.scope };
  }

  /** The account as this index knows it (support look-up, listing permissions): read it, keep it not. */
  account(accountId: string): AccountState | undefined {
    return this.accounts.get(accountId);
  }
}
