import { Inject, Injectable } from '@nestjs/common';
import {
  pageOf,
  streams,
  type Page,
  type PageRequest,
  type GetTokenPayload,
  type ListTokensPayload,
  type Scope,
  type TokenPolicyView,
  type TokenView,
} from '@accord/contracts';
import { tokenPolicyDecider } from '@accord/api-token-domain';
import { foldStream, type EventStore, type SqlClient } from '@accord/eventstore';
import { EVENT_STORE, SQL_CLIENT, instantKey } from '@accord/service-kit';
import { LastUsedRecorder } from './last-used.recorder';

interface TokenRow {
  token_id: string;
  user_id: string;
  name: string;
  prefix: string;
  permissions: string[] | null;
  scope: Scope | null;
  created_at: Date | string;
  expires_at: Date | string | null;
  revoked: boolean;
  rotated_at: Date | string | null;
  last_used_at: Date | string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

@Injectable()
export class TokenQueries {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly lastUsed: LastUsedRecorder,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /**
   * A keyset page over (created_at, token_id), both immutable: tokens issued between two fetches
   * sort after every earlier one and never shift a later page; a token revoked or rotated between
   * pages is shown as it is when its page is read. `status` is judged at `now`.
   */
  async list(payload: ListTokensPayload, page: PageRequest, now: string): Promise<Page<TokenView>> {
    const [at, id] = page.after ?? [null, null];
    const { rows } = await this.sql.query<TokenRow & { k: string }>(
      `SELECT t.*, u.last_used_at, ${instantKey('t.created_at')} AS k
         FROM token_tokens t LEFT JOIN token_last_used u USING (token_id)
        WHERE t.account_id = $1 AND ($2::text IS NULL OR t.user_id = $2)
          AND ($3::text IS NULL
               OR ($3 = 'revoked' AND t.revoked)
               OR ($3 = 'active' AND NOT t.revoked AND (t.expires_at IS NULL OR t.expires_at > $4::timestamptz))
               OR ($3 = 'expired' AND NOT t.revoked AND t.expires_at <= $4::timestamptz))
          AND ($5::timestamptz IS NULL OR (t.created_at, t.token_id) > ($5::timestamptz, $6::uuid))
        ORDER BY t.created_at, t.token_id LIMIT $7`,
      [payload.accountId, payload.userId ?? null, payload.status ?? null, now, at, id, page.limit + 1],
    );
    return pageOf(
      rows,
      page.limit,
      (r) => [r.k, r.token_id],
      (r) => this.view(r),
    );
  }

  /** One token of the account, as the list shows it; with `userId`, only if it is theirs. Null otherwise. */
  async one(payload: GetTokenPayload): Promise<TokenView | null> {
    const { rows } = await this.sql.query<TokenRow>(
      `SELECT t.*, u.last_used_at FROM token_tokens t LEFT JOIN token_last_used u USING (token_id)
        WHERE t.token_id = $1 AND t.account_id = $2 AND ($3::text IS NULL OR t.user_id = $3)`,
      [payload.tokenId, payload.accountId, payload.userId ?? null],
    );
    return rows[0] ? this.view(rows[0]) : null;
  }

  /**
   * The account's token policy (TOK-6): the newest change of its policy stream, folded by the
   * policy decider, which owns the default (no maximum).
   */
  async policy(accountId: string): Promise<TokenPolicyView> {
    const latest = await this.store.readEvents({
      streamId: streams.tokenPolicy(accountId),
      types: ['TokenPolicyChanged'],
      direction: 'backward',
      limit: 1,
    });
    return { accountId, maxLifetimeDays: foldStream(tokenPolicyDecider, latest).maxLifetimeDays };
  }

  /** A token as the list shows it: never its secret or hash. */
  private view(r: TokenRow): TokenView {
    return {
      id: r.token_id,
      userId: r.user_id,
      name: r.name,
      prefix: r.prefix,
      permissions: r.permissions,
      scope: r.scope,
      createdAt: iso(r.created_at)!,
      expiresAt: iso(r.expires_at),
      lastUsedAt: this.lastUsed.unflushed(r.token_id) ?? iso(r.last_used_at),
      revoked: r.revoked,
      rotatedAt: iso(r.rotated_at),
    };
  }
}
