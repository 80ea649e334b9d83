import { Type } from '@sinclair/typebox';
import {
  DateTime,
  Email,
  EVENT_LIMITS,
  Name,
  Nullable,
  Permissions,
  ScopeSchema,
  Sha256Hex,
  Strict,
  UserId,
  Uuid,
  type EventData,
} from '../event-schema-blocks';

// The API-token context's events: one stream per token (`token-<tokenId>`), the account's policy in
// `token-policy-<accountId>`. Each schema is the one description of its event's data; the `…Data`
// type beside it is derived from it.

/**
 * An API token: its user's permissions, or a narrower set, never more. Only the SHA-256 of the
 * secret and a short display prefix are ever stored. `permissions`/`scope` null = "as the user".
 */
const ApiTokenIssued = Strict({
  tokenId: Uuid(),
  accountId: Uuid(),
  userId: UserId(),
  /** The user's e-mail when the token was issued (for display and audit). */
  email: Email(),
  name: Name(),
  /** First characters of the secret (`acc_` + 4), enough to recognise it in a list. */
  prefix: Type.String({
    pattern: '^acc_[0-9A-Za-z]{4}$',
    description: '`acc_` and the first 4 characters of the secret',
  }),
  tokenHash: Sha256Hex('SHA-256 of the whole secret, hex'),
  /** Expanded; null means the user's own permissions, whatever they are at each check. */
  permissions: Nullable(Permissions()),
  scope: Nullable(ScopeSchema),
  expiresAt: Nullable(DateTime()),
  /** Issued through the API, or by accepting an access of type `api_token` (INV-19). */
  issuedVia: Type.Union([Type.Literal('api'), Type.Literal('access')]),
  /** With `issuedVia: 'access'`: the accepted invitation (SEC-10e; absent on tokens issued by older versions). */
  invitationId: Type.Optional(Uuid('With `issuedVia: access`: the accepted invitation the token is for')),
});
export type ApiTokenIssuedData = EventData<typeof ApiTokenIssued>;

const ApiTokenRevoked = Strict({
  tokenId: Uuid(),
  accountId: Uuid(),
  userId: UserId(),
  /**
   * `replaced`: a newer token was issued for the same invitation (its secret may never have arrived);
   * `account_closed`: the account was closed (MEM-23), which ends every token of it.
   */
  reason: Type.Union([
    Type.Literal('revoked_by_user'),
    Type.Literal('revoked_by_owner'),
    Type.Literal('member_removed'),
    Type.Literal('member_left'),
    Type.Literal('replaced'),
    Type.Literal('account_closed'),
  ]),
  revokedBy: UserId(),
});
export type ApiTokenRevokedData = EventData<typeof ApiTokenRevoked>;

/** Why a token was revoked. */
export type ApiTokenRevocationReason = ApiTokenRevokedData['reason'];

/**
 * A new secret for the same token (id, name, permissions, scope and expiry unchanged). Only the new
 * secret's hash and prefix are recorded, never a secret. The secret that was current until now keeps
 * working until `graceEndsAt` (the rotation's time when no grace was asked), never after; a later
 * rotation ends that grace at once, since only the secret current before it is honoured.
 */
const ApiTokenRotated = Strict({
  tokenId: Uuid(),
  accountId: Uuid(),
  userId: UserId(),
  /** First characters of the NEW secret (`acc_` + 4). */
  prefix: Type.String({
    pattern: '^acc_[0-9A-Za-z]{4}$',
    description: '`acc_` and the first 4 characters of the new secret',
  }),
  tokenHash: Sha256Hex('SHA-256 of the whole new secret, hex'),
  /** Until when the previous secret still works (exclusive); the rotation's time = not at all. */
  graceEndsAt: DateTime(),
  rotatedBy: UserId(),
});
export type ApiTokenRotatedData = EventData<typeof ApiTokenRotated>;

/** An account-wide maximum token lifetime in days (null = no maximum; `LIMITS.tokenPolicyDays`). */
const TokenPolicyChanged = Strict({
  accountId: Uuid(),
  maxLifetimeDays: Nullable(
    Type.Integer({ minimum: EVENT_LIMITS.policyDays.min, maximum: EVENT_LIMITS.policyDays.max }),
  ),
  changedBy: UserId(),
});
export type TokenPolicyChangedData = EventData<typeof TokenPolicyChanged>;

export type ApiTokenEvent =
  | { readonly type: 'ApiTokenIssued'; readonly data: ApiTokenIssuedData }
  | { readonly type: 'ApiTokenRevoked'; readonly data: ApiTokenRevokedData }
  | { readonly type: 'ApiTokenRotated'; readonly data: ApiTokenRotatedData }
  | { readonly type: 'TokenPolicyChanged'; readonly data: TokenPolicyChangedData };

/** The schema of each API-token event's data, in the order docs/events.md lists them. */
export const API_TOKEN_EVENT_SCHEMAS = {
  ApiTokenIssued,
  ApiTokenRevoked,
  ApiTokenRotated,
  TokenPolicyChanged,
} as const;
