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
  /** The hash of the secret issued or rotated to last. */
  readonly currentHash: string;
  /** The secret current before the last rotation, and until when it still works (TOK-17). */
  readonly previous: { readonly hash: string; readonly graceEndsAt: number } | null;
}

/**
 * Every token by the SHA-256 of its secret(s), in memory, fed by the event store: verifying a
 * request's token is a hash and a map look-up, never a database round trip. Rebuilt from
 * position 0 at start; a revoke is applied within milliseconds, and a request passing the
 * revoke's position waits for it.
 */
@Injectable()
export class TokenIndex extends InMemoryReadModel {
  private readonly byId = new Map<string, TokenRecord>();
  /** Current and previous secrets' hashes → token id; a secret no longer honoured is dropped. */
  private readonly byHash = new Map<string, string>();
  constructor(@Inject(EVENT_STORE) store: EventStore) {
    super(store);
  }

  protected fold(event: AccordEnvelope): void {
    if (event.type === 'ApiTokenIssued') {
      const d = event.data;
      const expiresAt = d.expiresAt === null ? null : Date.parse(d.expiresAt);
      this.byId.set(d.tokenId, { ...d, expiresAt, revoked: false, currentHash: d.tokenHash, previous: null });
      this.byHash.set(d.tokenHash, d.tokenId);
    } else if (event.type === 'ApiTokenRevoked') {
      const record = this.byId.get(event.data.tokenId);
      // Revoked is a property of the token, so every secret of it fails alike.
      if (record) this.byId.set(record.tokenId, { ...record, revoked: true });
    } else if (event.type === 'ApiTokenRotated') {
      const record = this.byId.get(event.data.tokenId);
      if (!record) return;
      // TOK-17: only the secret current until now keeps a grace; an older one's grace ends here.
      if (record.previous) this.byHash.delete(record.previous.hash);
      const previous = { hash: record.currentHash, graceEndsAt: Date.parse(event.data.graceEndsAt) };
      this.byId.set(record.tokenId, { ...record, currentHash: event.data.tokenHash, previous });
      this.byHash.set(event.data.tokenHash, record.tokenId);
    }
  }

  /**
   * The live token with this hash, or null when unknown, revoked or expired (TOK-7), or when it is
   * the previous secret of a rotation and its grace has ended — both judged on the clock now.
   */
  find(tokenHash: string, now = Date.now()): VerifiedToken | null {
    const tokenId = this.byHash.get(tokenHash);
    const record = tokenId === undefined ? undefined : this.byId.get(tokenId);
    if (!record || record.revoked || (record.expiresAt !== null && record.expiresAt <= now)) return null;
    const honoured =
      tokenHash === record.currentHash || (record.previous?.hash === tokenHash && now < record.previous.graceEndsAt);
    if (!honoured) return null;
    const { accountId, userId, email, permissions, scope } = record;
    return { tokenId: record.tokenId, accountId, userId, email, permissions, scope };
  }

  /** `find` for a request: only once the history stored before this process started is read. */
  async findForRequest(tokenHash: string, now = Date.now()): Promise<VerifiedToken | null> {
    await this.readyForRequests();
    return this.find(tokenHash, now);
  }

  /** The live tokens of an account and their users (to revoke them when it is closed, MEM-23). */
  liveTokensOfAccount(accountId: string): { tokenId: string; userId: string }[] {
    return [...this.byId.values()]
      .filter((t) => t.accountId === accountId && !t.revoked)
      .map((t) => ({ tokenId: t.tokenId, userId: t.userId }));
  }

  /** Ids of a user's live tokens in an account (to revoke them when the member goes). */
  liveTokensOf(accountId: string, userId: string): string[] {
    return [...this.byId.values()]
      .filter((t) => t.accountId === accountId && t.userId === userId && !t.revoked)
      .map((t) => t.tokenId);
  }
}
