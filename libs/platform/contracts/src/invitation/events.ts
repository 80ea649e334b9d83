import { Type, type TObject } from '@sinclair/typebox';
import {
  AccessTypeSchema,
  DateTime,
  Email,
  EVENT_LIMITS,
  FreeText,
  Name,
  Nullable,
  Permissions,
  RoleSchema,
  ScopeSchema,
  Sha256Hex,
  Strict,
  UserId,
  Uuid,
  type EventData,
} from '../event-schema-blocks';

// The invitation context's events, in stream `access-<accountId>`: every Access and Invitation of
// one account, so rules across invitations — one pending invitation per e-mail, the daily quota —
// are decided by one decider under optimistic concurrency. Each schema is the one description of
// its event's data; the `…Data` type beside it is derived from it.

const InvitationLinkSchema = Strict(
  {
    nonce: Type.String({
      minLength: 22,
      maxLength: 256,
      pattern: '^[A-Za-z0-9_-]+$',
      description: '≥ 128 random bits, base64url',
    }),
    tokenHash: Sha256Hex('SHA-256 of the link token, hex'),
  },
  { title: 'InvitationLink', description: 'An invitation link without its secret' },
);

/**
 * An invitation link, without its secret. The token mailed to the recipient is
 * HMAC-SHA256(link key, nonce) (libs/platform/invitation-links); events keep the random nonce, from
 * which nobody without the key can compute the token, and the token's SHA-256 for look-ups.
 */
export type InvitationLink = EventData<typeof InvitationLinkSchema>;

const InvitationRefProperties = {
  accessId: Uuid(),
  accountId: Uuid(),
  invitationId: Uuid(),
  /** As typed by the sharer (trimmed); compared with `normalizeEmail`. */
  email: Email(),
};

/** Fields every invitation event carries, so consumers need no other state to act on it. */
export type InvitationRef = EventData<TObject<typeof InvitationRefProperties>>;

const AccessShared = Strict({
  accessId: Uuid(),
  accountId: Uuid(),
  /** Seen by the sharer only (INV-4). */
  name: Name('Seen by the sharer only'),
  type: AccessTypeSchema,
  scope: ScopeSchema,
  role: RoleSchema,
  recipients: Type.Array(Strict({ invitationId: Uuid(), email: Email(), link: InvitationLinkSchema }), {
    minItems: 1,
    maxItems: EVENT_LIMITS.recipients,
  }),
  message: Nullable(FreeText(EVENT_LIMITS.message, 'Shown to the recipients; line feeds and tabs allowed')),
  sharedBy: UserId(),
  /** ISO-8601 UTC: when the share was decided (the command's `now`); it starts the invitations' validity. */
  sharedAt: DateTime('When the share was decided (since version 2; version 1 events: their occurredAt)'),
  /** ISO-8601 UTC: when the invitations of this share stop being acceptable (until a resend). */
  expiresAt: DateTime(),
  /** INV-26: what the recipients join with beside the role, expanded; absent = none (and on older events). */
  permissions: Type.Optional(Permissions()),
  /** AUTHZ-16: recipients may create environments; absent = no (and on older events). */
  mayCreateEnvironments: Type.Optional(Type.Boolean()),
  /**
   * INV-29: when the access ends: the members who joined through it are removed then. Absent = it
   * does not end (and on older events).
   */
  accessExpiresAt: Type.Optional(DateTime('When the access ends (time-limited access); absent: never')),
});
/** AccessShared's data at schemaVersion 2; version 1 lacked `sharedAt`, which upcasting/ fills in on read. */
export type AccessSharedData = EventData<typeof AccessShared>;

/** One recipient of an access: its invitation, the e-mail as typed by the sharer (trimmed), its link. */
export type InvitationRecipient = AccessSharedData['recipients'][number];

const InvitationAccepted = Strict({
  ...InvitationRefProperties,
  userId: UserId(),
  role: RoleSchema,
  scope: ScopeSchema,
  /** The access's type (INV-2, INV-19); absent on events stored before API-token accesses existed. */
  accessType: Type.Optional(AccessTypeSchema),
  /** INV-26: the access's permissions, which the member joins with; absent = none. */
  permissions: Type.Optional(Permissions()),
  /** AUTHZ-16: the access lets the member create environments; absent = no. */
  mayCreateEnvironments: Type.Optional(Type.Boolean()),
  /** INV-29: when the access the member joins through ends; absent = never. */
  accessExpiresAt: Type.Optional(DateTime()),
});
export type InvitationAcceptedData = EventData<typeof InvitationAccepted>;

/** INV-15: a new link and a new expiry; the old link is dead. */
const InvitationResent = Strict({
  ...InvitationRefProperties,
  link: InvitationLinkSchema,
  expiresAt: DateTime(),
  resentBy: UserId(),
});
export type InvitationResentData = EventData<typeof InvitationResent>;

/** INV-16: the link can no longer be used. */
const InvitationRevoked = Strict({
  ...InvitationRefProperties,
  revokedBy: UserId(),
  reason: Type.Union([
    Type.Literal('revoked_by_owner'),
    Type.Literal('inviter_removed'),
    Type.Literal('inviter_lost_rights'),
    Type.Literal('access_revoked'),
    Type.Literal('access_expired'),
    Type.Literal('account_closed'),
    Type.Literal('billing_account_deleted'),
  ]),
});
export type InvitationRevokedData = EventData<typeof InvitationRevoked>;

/**
 * `inviter_removed`: stored by older versions, which revoked invitations only when the owner who
 * sent them was removed; `inviter_lost_rights`: the inviter left, was removed or lost the owner
 * role (SEC-7a: an invitation dies with its sender's right to send it); `access_revoked`,
 * `access_expired`: its access was revoked or ran out (INV-28, INV-29); `account_closed`: the root
 * owner closed the account (MEM-23); `billing_account_deleted`: its access was restricted to a
 * billing account an owner deleted (MEM-26).
 */
export type InvitationRevocationReason = InvitationRevokedData['reason'];

const InvitationDeclined = Strict({ ...InvitationRefProperties, userId: UserId() });
export type InvitationDeclinedData = EventData<typeof InvitationDeclined>;

const InvitationExpired = Strict({ ...InvitationRefProperties, expiredAt: DateTime() });
export type InvitationExpiredData = EventData<typeof InvitationExpired>;

/** Per-account invitation policy: link validity between 1 hour and 30 days (`LIMITS.invitationExpiryHours`). */
const InvitationSettingsChanged = Strict({
  accountId: Uuid(),
  expiryHours: Type.Integer({ minimum: EVENT_LIMITS.expiryHours.min, maximum: EVENT_LIMITS.expiryHours.max }),
  changedBy: UserId(),
});
export type InvitationSettingsChangedData = EventData<typeof InvitationSettingsChanged>;

/** INV-27: more people invited to an existing access; one pending invitation each, as a share makes. */
const AccessRecipientsAdded = Strict({
  accessId: Uuid(),
  accountId: Uuid(),
  /** The access's role, as its share named it: what the invitation e-mails quote. */
  role: RoleSchema,
  recipients: Type.Array(Strict({ invitationId: Uuid(), email: Email(), link: InvitationLinkSchema }), {
    minItems: 1,
    maxItems: EVENT_LIMITS.recipients,
  }),
  addedBy: UserId(),
  /** When the addition was decided; it starts the new invitations' validity. */
  addedAt: DateTime(),
  /** When the new invitations stop being acceptable (until a resend). */
  expiresAt: DateTime(),
});
export type AccessRecipientsAddedData = EventData<typeof AccessRecipientsAdded>;

/** INV-28: the sharer renamed their access (the name is theirs alone, INV-4). */
const AccessRenamed = Strict({
  accessId: Uuid(),
  accountId: Uuid(),
  name: Name('Seen by the sharer only'),
  renamedBy: UserId(),
});
export type AccessRenamedData = EventData<typeof AccessRenamed>;

/**
 * INV-28: an owner revoked the access: its unsettled invitations are revoked beside this event, and
 * the membership context removes every member who joined through it (`access_revoked`).
 */
const AccessRevoked = Strict({ accessId: Uuid(), accountId: Uuid(), revokedBy: UserId(), revokedAt: DateTime() });
export type AccessRevokedData = EventData<typeof AccessRevoked>;

/**
 * INV-29: the access's end date passed: its unsettled invitations are revoked beside this event,
 * and the membership context removes every member who joined through it (`access_expired`).
 */
const AccessExpired = Strict({ accessId: Uuid(), accountId: Uuid(), sharedBy: UserId(), expiredAt: DateTime() });
export type AccessExpiredData = EventData<typeof AccessExpired>;

export type InvitationEvent =
  | { readonly type: 'AccessShared'; readonly data: AccessSharedData }
  | { readonly type: 'AccessRecipientsAdded'; readonly data: AccessRecipientsAddedData }
  | { readonly type: 'AccessRenamed'; readonly data: AccessRenamedData }
  | { readonly type: 'AccessRevoked'; readonly data: AccessRevokedData }
  | { readonly type: 'AccessExpired'; readonly data: AccessExpiredData }
  | { readonly type: 'InvitationAccepted'; readonly data: InvitationAcceptedData }
  | { readonly type: 'InvitationResent'; readonly data: InvitationResentData }
  | { readonly type: 'InvitationRevoked'; readonly data: InvitationRevokedData }
  | { readonly type: 'InvitationDeclined'; readonly data: InvitationDeclinedData }
  | { readonly type: 'InvitationExpired'; readonly data: InvitationExpiredData }
  | { readonly type: 'InvitationSettingsChanged'; readonly data: InvitationSettingsChangedData };

/** The schema of each invitation event's data, in the order docs/events.md lists them. */
export const INVITATION_EVENT_SCHEMAS = {
  AccessShared,
  InvitationAccepted,
  InvitationResent,
  InvitationRevoked,
  InvitationDeclined,
  InvitationExpired,
  InvitationSettingsChanged,
  AccessRecipientsAdded,
  AccessRenamed,
  AccessRevoked,
  AccessExpired,
} as const;
