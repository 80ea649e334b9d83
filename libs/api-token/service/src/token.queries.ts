import { Inject, Injectable } from '@nestjs/common';
import type { ListTokensPayload, Scope, TokenView } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { SQL_CLIENT } from '@accord/service-kit';
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
  last_used_at: Date | string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

@Injectable()
export class TokenQueries {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly lastUsed: LastUsedRecorder,
  ) {}

  async list(payload: ListTokensPayload): Promise<TokenView[]> {
    const { rows } = await this.sql.query<TokenRow>(
      `SELECT t.*, u.last_used_at FROM token_tokens t LEFT JOIN token_last_used u USING (token_id)
        WHERE t.account_id = $1 AND ($2::text IS NULL OR t.user_id = $2) ORDER BY t.created_at, t.token_id`,
      [payload.accountId, payload.userId ?? null],
    );
    return rows.map((r) => ({
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
    }));
  }
}
