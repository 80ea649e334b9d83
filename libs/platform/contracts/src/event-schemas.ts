import { FormatRegistry, Type, type Static, type TLiteral, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type * as E from './events';
import { ROLES, ACCESS_TYPES, MAX_USER_ID_LENGTH, USER_ID_PATTERN } from './model';

// Issue 8 rule 2: no malformed event can be stored. One TypeBox schema per event type describes
// its `data` (schemaVersion 1); the event store validates every event against it before append,
// and docs/events.md is generated from it (tools/docs/events-doc.ts). A compile-time check at the
// bottom keeps each schema and the hand-written interface of events.ts identical.

// ---- formats (registered once, process-wide; TypeBox knows none by default) ----

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** ISO-8601 calendar date, optionally with a time and a zone (what `Date.parse` and the API accept). */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/;

function isUuid(value: string): boolean {
  return UUID.test(value);
}

function isIsoDateTime(value: string): boolean {
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth && !Number.isNaN(Date.parse(value));
}

if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', isUuid);
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isIsoDateTime);

// ---- building blocks ----

/** No C0 control character (U+0000–U+001F) in any string of any event. */
const NO_C0 = '^[^\\u0000-\\u001f]*$';

export const EVENT_LIMITS = {
  /** Account, billing account, access, token and display names (membership-domain MAX_NAME). */
  name: 100,
  /** RFC 5321 path limit, as the gateway's recipients check. */
  email: 254,
  /** ShareAccessDto / invitation-domain MAX_MESSAGE_LENGTH. */
  message: 1000,
  /** invitation-domain MAX_RECIPIENTS. */
  recipients: 50,
  permission: 200,
  /** Expanded permission lists (combinations added at grant time). */
  permissions: 1000,
  customRoleName: 100,
  /** invitation-domain MIN/MAX_EXPIRY_HOURS. */
  expiryHours: { min: 1, max: 720 },
  /** api-token-domain MAX_POLICY_DAYS. */
  policyDays: { min: 1, max: 3650 },
  notificationReason: 200,
  /** A route pattern recorded under impersonation. */
  route: 300,
  notificationAttempts: 1000,
} as const;

const Strict = <P extends Parameters<typeof Type.Object>[0]>(properties: P, annotations: { readonly title?: string; readonly description?: string } = {}) =>
  Type.Object(properties, { additionalProperties: false, ...annotations });

const Uuid = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });

const UserId = (description = 'A user id: the identity provider\'s `sub` (printable ASCII, 1–255, no "/", no whitespace)') =>
  Type.String({ minLength: 1, maxLength: MAX_USER_ID_LENGTH, pattern: USER_ID_PATTERN.source, description });

const Email = (description = 'An e-mail address as typed (at most 254 characters, with an "@")') =>
  Type.String({ minLength: 3, maxLength: EVENT_LIMITS.email, pattern: '^[^\\u0000-\\u001f]+@[^\\u0000-\\u001f]+$', description });

const Text = (minLength: number, maxLength: number, description?: string) =>
  Type.String({ minLength, maxLength, pattern: NO_C0, ...(description ? { description } : {}) });

const Name = (description?: string) => Text(1, EVENT_LIMITS.name, description);

/** Free text people write (a share's message): line feeds and tabs allowed, other controls not. */
const NO_C0_IN_FREE_TEXT = '^[^\\u0000-\\u0008\\u000b-\\u001f]*$';
const FreeText = (maxLength: number, description?: string) =>
  Type.String({ minLength: 0, maxLength, pattern: NO_C0_IN_FREE_TEXT, ...(description ? { description } : {}) });

const DateTime = (description?: string) => Type.String({ format: 'date-time', maxLength: 40, ...(description ? { description } : {}) });

const Sha256Hex = (description: string) => Type.String({ pattern: '^[0-9a-f]{64}$', description });

const RoleSchema = Type.Union(
  ROLES.map((role) => Type.Literal(role)) as unknown as [TLiteral<'owner'>, TLiteral<'administrator'>, TLiteral<'accountant'>, TLiteral<'read-only'>],
  { description: 'A built-in role' },
);

/** A built-in role or the name of one of the account's custom roles. */
const RoleName = () =>
  Type.String({ minLength: 1, maxLength: EVENT_LIMITS.customRoleName, pattern: '^[a-z][a-z0-9-]*$', description: 'A built-in role or a custom role name' });

const AccessTypeSchema = Type.Union(
  ACCESS_TYPES.map((type) => Type.Literal(type)) as unknown as [TLiteral<'delegate'>, TLiteral<'api_token'>],
);

/** `<section>:read|manage`, or an SBS scope `service:action:resource` with `*` only last (gateway PERMISSION_PATTERN). */
const Permission = Type.String({
  minLength: 1,
  maxLength: EVENT_LIMITS.permission,
  pattern: '^([a-z][a-z0-9-]*:(read|manage)|[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*:([A-Za-z0-9][A-Za-z0-9._-]*|\\*))$',
});
const Permissions = () => Type.Array(Permission, { maxItems: EVENT_LIMITS.permissions, description: 'Expanded permissions' });

const ScopeSchema = Type.Union(
  [
    Strict({ type: Type.Literal('global') }),
    Strict({ type: Type.Literal('restricted'), billingAccountId: Uuid('With type restricted: the one billing account') }),
  ],
  { title: 'Scope', description: 'Global (every billing account) or restricted to one billing account' },
);

const InvitationLinkSchema = Strict(
  {
    nonce: Type.String({ minLength: 22, maxLength: 256, pattern: '^[A-Za-z0-9_-]+$', description: '≥ 128 random bits, base64url' }),
    tokenHash: Sha256Hex('SHA-256 of the link token, hex'),
  },
  { title: 'InvitationLink', description: 'An invitation link without its secret' },
);

const InvitationRefProperties = {
  accessId: Uuid(),
  accountId: Uuid(),
  invitationId: Uuid(),
  email: Email(),
};

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

// ---- membership ----

const AccountCreated = Strict({
  accountId: Uuid(),
  name: Name(),
  rootOwner: Strict({ userId: UserId(), email: Email() }),
});

const MemberJoined = Strict({
  accountId: Uuid(),
  userId: UserId(),
  email: Email(),
  role: RoleSchema,
  scope: ScopeSchema,
  accessId: Uuid(),
  invitationId: Uuid(),
});

const MemberRemoved = Strict({ accountId: Uuid(), userId: UserId(), email: Email(), removedBy: UserId() });

const MemberLeft = Strict({ accountId: Uuid(), userId: UserId(), email: Email() });

const RoleChanged = Strict({
  accountId: Uuid(),
  userId: UserId(),
  email: Email(),
  from: RoleName(),
  to: RoleName(),
  changedBy: UserId(),
});

const MemberPermissionsChanged = Strict({ accountId: Uuid(), userId: UserId(), permissions: Permissions(), changedBy: UserId() });

const MemberScopeChanged = Strict({ accountId: Uuid(), userId: UserId(), scope: ScopeSchema, changedBy: UserId() });

const MemberDisplayNameChanged = Strict({ accountId: Uuid(), userId: UserId(), displayName: Nullable(Name()), changedBy: UserId() });

const AccountDisplayNameChanged = Strict({ accountId: Uuid(), userId: UserId(), displayName: Nullable(Name()) });

const EnvironmentCreationChanged = Strict({ accountId: Uuid(), userId: UserId(), mayCreateEnvironments: Type.Boolean(), changedBy: UserId() });

const OwnershipTransferred = Strict({ accountId: Uuid(), from: UserId('The previous root owner'), to: UserId('The new root owner') });

const BillingAccountCreated = Strict({ accountId: Uuid(), billingAccountId: Uuid(), name: Name(), createdBy: UserId() });

const CustomRoleDefined = Strict({ accountId: Uuid(), name: RoleName(), permissions: Permissions(), definedBy: UserId() });

const ImpersonatedReadRecorded = Strict({
  accountId: Nullable(Uuid('The account read, or null for an account-less route')),
  impersonatorId: UserId('The impersonating platform admin'),
  userId: UserId('The user being impersonated'),
  route: Text(1, EVENT_LIMITS.route, 'The route pattern, e.g. `GET /v1/accounts/:accountId/members` (never the query string)'),
});

// ---- invitation ----

const AccessShared = Strict({
  accessId: Uuid(),
  accountId: Uuid(),
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
  expiresAt: DateTime(),
});

const InvitationAccepted = Strict({
  ...InvitationRefProperties,
  userId: UserId(),
  role: RoleSchema,
  scope: ScopeSchema,
  accessType: Type.Optional(AccessTypeSchema),
});

const InvitationResent = Strict({ ...InvitationRefProperties, link: InvitationLinkSchema, expiresAt: DateTime(), resentBy: UserId() });

const InvitationRevoked = Strict({
  ...InvitationRefProperties,
  revokedBy: UserId(),
  reason: Type.Union([Type.Literal('revoked_by_owner'), Type.Literal('inviter_removed'), Type.Literal('inviter_lost_rights')]),
});

const InvitationDeclined = Strict({ ...InvitationRefProperties, userId: UserId() });

const InvitationExpired = Strict({ ...InvitationRefProperties, expiredAt: DateTime() });

const InvitationSettingsChanged = Strict({
  accountId: Uuid(),
  expiryHours: Type.Integer({ minimum: EVENT_LIMITS.expiryHours.min, maximum: EVENT_LIMITS.expiryHours.max }),
  changedBy: UserId(),
});

// ---- token ----

const ApiTokenIssued = Strict({
  tokenId: Uuid(),
  accountId: Uuid(),
  userId: UserId(),
  email: Email(),
  name: Name(),
  prefix: Type.String({ pattern: '^acc_[0-9A-Za-z]{4}$', description: '`acc_` and the first 4 characters of the secret' }),
  tokenHash: Sha256Hex('SHA-256 of the whole secret, hex'),
  permissions: Nullable(Permissions()),
  scope: Nullable(ScopeSchema),
  expiresAt: Nullable(DateTime()),
  issuedVia: Type.Union([Type.Literal('api'), Type.Literal('access')]),
  invitationId: Type.Optional(Uuid('With `issuedVia: access`: the accepted invitation the token is for')),
});

const ApiTokenRevoked = Strict({
  tokenId: Uuid(),
  accountId: Uuid(),
  userId: UserId(),
  reason: Type.Union([
    Type.Literal('revoked_by_user'),
    Type.Literal('revoked_by_owner'),
    Type.Literal('member_removed'),
    Type.Literal('member_left'),
    Type.Literal('replaced'),
  ]),
  revokedBy: UserId(),
});

const TokenPolicyChanged = Strict({
  accountId: Uuid(),
  maxLifetimeDays: Nullable(Type.Integer({ minimum: EVENT_LIMITS.policyDays.min, maximum: EVENT_LIMITS.policyDays.max })),
  changedBy: UserId(),
});

// ---- notification ----

const NotificationSentProperties = {
  notificationId: Uuid(),
  accountId: Uuid(),
  kind: Type.Union([
    Type.Literal('invitation'),
    Type.Literal('invitation_resent'),
    Type.Literal('member_removed'),
    Type.Literal('member_left'),
    Type.Literal('role_changed'),
  ]),
  channel: Type.Literal('email'),
  to: Email(),
  causeEventId: Uuid('The id of the event that caused this notification'),
  attempt: Type.Integer({ minimum: 1, maximum: EVENT_LIMITS.notificationAttempts }),
};

const NotificationSent = Strict(NotificationSentProperties);

const NotificationFailed = Strict({
  ...NotificationSentProperties,
  reason: Text(1, EVENT_LIMITS.notificationReason, 'Short, secret-free reason (SMTP code or network error code)'),
  willRetry: Type.Boolean(),
});

// ---- the registry ----

const SCHEMAS = {
  AccountCreated,
  MemberJoined,
  MemberRemoved,
  MemberLeft,
  RoleChanged,
  MemberPermissionsChanged,
  MemberScopeChanged,
  MemberDisplayNameChanged,
  AccountDisplayNameChanged,
  EnvironmentCreationChanged,
  OwnershipTransferred,
  BillingAccountCreated,
  CustomRoleDefined,
  ImpersonatedReadRecorded,
  AccessShared,
  InvitationAccepted,
  InvitationResent,
  InvitationRevoked,
  InvitationDeclined,
  InvitationExpired,
  InvitationSettingsChanged,
  ApiTokenIssued,
  ApiTokenRevoked,
  TokenPolicyChanged,
  NotificationSent,
  NotificationFailed,
} satisfies Record<E.AccordEventType, TSchema>;

/** The schema of each event type's `data` (schemaVersion 1). */
export const EVENT_SCHEMAS: Readonly<Record<E.AccordEventType, TSchema>> = SCHEMAS;

/** Schema version the registry describes; an append of another version is refused until it has a schema. */
export const EVENT_SCHEMA_VERSION = 1;

export type EventDataValidation = { readonly ok: true } | { readonly ok: false; readonly errors: readonly string[] };

const MAX_REPORTED_ERRORS = 10;
const compiled = new Map<string, TypeCheck<TSchema>>();

export function isAccordEventType(type: unknown): type is E.AccordEventType {
  return typeof type === 'string' && Object.hasOwn(EVENT_SCHEMAS, type);
}

/**
 * Checks an event's data against its type's schema. Errors name the path and the rule, never the
 * value (event data holds personal data). Unknown types are refused.
 */
export function validateEventData(type: string, data: unknown): EventDataValidation {
  if (!isAccordEventType(type)) return { ok: false, errors: ['type: unknown event type'] };
  let check = compiled.get(type);
  if (!check) {
    check = TypeCompiler.Compile(EVENT_SCHEMAS[type]);
    compiled.set(type, check);
  }
  if (check.Check(data)) return { ok: true };
  const errors: string[] = [];
  for (const error of check.Errors(data)) {
    const line = `${safePath(error.path)}: ${error.message}`;
    if (!errors.includes(line)) errors.push(line);
    if (errors.length >= MAX_REPORTED_ERRORS) break;
  }
  return { ok: false, errors: errors.length > 0 ? errors : ['/: does not match the schema'] };
}

/** Paths may hold property names chosen by whoever built the data: keep them short and printable. */
function safePath(path: string): string {
  const printable = (path || '/').replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 120 ? `${printable.slice(0, 117)}...` : printable;
}

/**
 * An event does not match its schema (or has an unknown type / schema version): a bug in the code
 * that produced it, never the caller's fault. Nothing of the append is stored. The message names
 * the type and the paths, never the data; the command path answers `internal`.
 */
export class EventSchemaViolation extends Error {
  constructor(
    readonly eventType: string,
    readonly paths: readonly string[],
    readonly eventId?: string,
  ) {
    super(`Event ${printableType(eventType)}${eventId ? ` (${eventId})` : ''} violates its schema: ${paths.join('; ')}`);
    this.name = 'EventSchemaViolation';
  }
}

export function isEventSchemaViolation(error: unknown): error is EventSchemaViolation {
  return error instanceof EventSchemaViolation || (error instanceof Error && error.name === 'EventSchemaViolation' && 'eventType' in error);
}

function printableType(type: string): string {
  const printable = String(type).replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 100 ? `${printable.slice(0, 97)}...` : printable;
}

// ---- compile-time: each schema's Static type equals the interface of events.ts ----

type DeepMutable<T> = T extends readonly (infer U)[]
  ? DeepMutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;
type Identical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Same<A, B> = Identical<DeepMutable<A>, DeepMutable<B>>;
type DataOf<T extends E.AccordEventType> = Extract<E.AccordEvent, { type: T }>['data'];
type Drifted = { [T in E.AccordEventType]: Same<Static<(typeof SCHEMAS)[T]>, DataOf<T>> extends true ? never : T }[E.AccordEventType];
type NoDrift<T extends never> = T;

/**
 * Fails to compile, naming the event type, when a schema and its interface of events.ts drift
 * apart (issue 9 will derive the interfaces from the schemas).
 */
export type EventSchemasMatchInterfaces = NoDrift<Drifted>;
