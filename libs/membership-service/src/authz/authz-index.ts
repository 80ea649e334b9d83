import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AuthzCheckPayload, AuthzDecision, EventEnvelope, MembershipEvent } from '@accord/contracts';
import type { EventStore, Subscription } from '@accord/eventstore';
import { evolveAccount, initialAccountState, type AccountState } from '@accord/membership-domain';
import { PositionWaiters, type ReadModelProgress } from '@accord/projections';
import { EVENT_STORE } from '@accord/runtime';
import { evaluateMember } from './evaluate-member';

const MEMBERSHIP_EVENTS: ReadonlySet<string> = new Set([
  'AccountCreated', 'MemberJoined', 'MemberRemoved', 'MemberLeft', 'RoleChanged', 'MemberPermissionsChanged',
  'MemberScopeChanged', 'MemberDisplayNameChanged', 'AccountDisplayNameChanged', 'EnvironmentCreationChanged',
  'OwnershipTransferred', 'BillingAccountCreated', 'CustomRoleDefined',
]);

/**
 * Every account's members, roles, permissions and scopes in memory, fed by the event store, so an
 * authorization check is a few map look-ups and never a database round trip. It folds events with
 * the domain's own `evolveAccount`: the check sees exactly the state the decider decides on.
 * Rebuilt from position 0 at start (memory: one small record per membership).
 */
@Injectable()
export class AuthzIndex implements ReadModelProgress, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly accounts = new Map<string, AccountState>();
  private readonly progress = new PositionWaiters();
  private subscription: Subscription | null = null;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  onApplicationBootstrap(): void {
    this.subscription = this.store.subscribeAll(0, async (event) => this.apply(event));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }

  /** Folds one event in (public so benchmarks and specs can feed it directly). */
  apply(event: EventEnvelope): void {
    if (MEMBERSHIP_EVENTS.has(event.type) && event.accountId) {
      const state = this.accounts.get(event.accountId) ?? initialAccountState();
      this.accounts.set(event.accountId, evolveAccount(state, { type: event.type, data: event.data } as MembershipEvent));
    }
    this.progress.advance(event.globalPosition);
  }

  /** May `userId` do `permission` on `accountId` (within `billingAccountId`)? */
  check(request: AuthzCheckPayload): AuthzDecision {
    const account = this.accounts.get(request.accountId);
    const member = account?.status === 'active' ? account.members[request.userId] : undefined;
    if (!account || account.status !== 'active' || !member) return { allowed: false, reason: 'not a member of this account' };
    return { ...evaluateMember(account, member, request), role: member.role as AuthzDecision['role'] };
  }

  /** The account as this index knows it (support look-up, listing permissions). */
  account(accountId: string): AccountState | undefined {
    return this.accounts.get(accountId);
  }

  position(): number {
    return this.progress.position();
  }

  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.progress.waitFor(position, timeoutMs);
  }

  async catchUp(timeoutMs: number): Promise<boolean> {
    return this.progress.waitFor(await this.store.headPosition(), timeoutMs);
  }
}
