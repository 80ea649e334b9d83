import { Inject, Injectable } from '@nestjs/common';
import type { AccordEnvelope, Scope, VerifiedToken } from '@accord/contracts';
import type { EventStore } from '@accord/eventstore';
import { EVENT_STORE, InMemoryReadModel } from '@accord/service-kit';

interface TokenRecord {
  readonly tokenId: string;
  readonly accountId: string;
  readonly userId: string;
  readonly email: string;
  readonly permissions: readonly string[] | null;
  readonly scope: Scope | null;
  readonly expiresAt: number | null;
  readonly revoked: boolean;
}

/**
 * Every token by the SHA-256 of its secret, in memory, fed by the event store: verifying a
 * request's token is a hash and a map look-up, never a database round trip. Rebuilt from
 * position 0 at start; a revoke is applied within milliseconds, and a request passing the
 * revoke's position waits for it.
 */
@Injectable()
export class TokenIndex extends InMemoryReadModel {
  private readonly byHash = new Map<string, TokenRecord>();
  private readonly byId = new Map<string, string>();
  constructor(@Inject(EVENT_STORE) store: EventStore) {
    super(store);
  }

  protected fold(event: AccordEnvelope): void {
    if (event.type === 'ApiTokenIssued') {
      const d = event.data;
      const expiresAt = d.expiresAt === null ? null : Date.parse(d.expiresAt);
      this.byHash.set(d.tokenHash, { ...d, expiresAt, revoked: false });
      this.byId.set(d.tokenId, d.tokenHash);
    } else if (event.type === 'ApiTokenRevoked') {
      const hash = this.byId.get(event.data.tokenId);
      const record = hash ? this.byHash.get(hash) : undefined;
      if (hash && record) this.byHash.set(hash, { ...record, revoked: true });
    }
  }

  /** The live token with this hash, or null when unknown, revoked or expired. */
  find(tokenHash: string, now = Date.now()): VerifiedToken | null {
    const record = this.byHash.get(tokenHash);
    if (!record || record.revoked || (record.expiresAt !== null && record.expiresAt <= now)) return null;
    const { tokenId, accountId, userId, email, permissions, scope } = record;
    return { tokenId, accountId, userId, email, permissions, scope };
  }

  /** `find` for a request: only once the history stored before this process started is read. */
  async findForRequest(tokenHash: string, now = Date.now()): Promise<VerifiedToken | null> {
    await this.readyForRequests();
    return this.find(tokenHash, now);
  }

  /** Ids of a user's live tokens in an account (to revoke them when the member goes). */
  liveTokensOf(accountId: string, userId: string): string[] {
    return [...this.byHash.values()]
      .filter((t) => t.accountId === accountId && t.userId === userId && !t.revoked)
      .map((t) => t.tokenId);
  }
}
