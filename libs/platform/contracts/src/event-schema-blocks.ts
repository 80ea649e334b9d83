import { FormatRegistry, Type, type Static, type TLiteral, type TSchema } from '@sinclair/typebox';
import { LIMITS, PERMISSION_PATTERN, ROLE_NAME_PATTERN } from './limits';
import { ACCESS_TYPES, MAX_USER_ID_LENGTH, ROLES, USER_ID_PATTERN, isUuid } from './model';

// The building blocks of the event schemas (one file per context: <context>/events.ts). Each
// schema is the ONE description of its event's data: the store validates against it, docs/events.md
// is generated from it, and the TypeScript type of the data is derived from it (`EventData`).

// ---- formats (registered once, process-wide; TypeBox knows none by default) ----

/** ISO-8601 calendar date, optionally with a time and a zone (what `Date.parse` and the API accept). */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/;

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

// ---- the data type of a schema ----

/** `T` with every property and array readonly, all the way down (event data is never changed). */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * The TypeScript type of the data a schema describes, readonly all the way down. TypeBox's
 * `Type.Readonly` marks one property only and has no readonly array, hence the mapped type.
 */
export type EventData<S extends TSchema> = DeepReadonly<Static<S>>;

// ---- limits ----

/** The bounds the event schemas apply; the shared ones come from `LIMITS` (limits.ts). */
export const EVENT_LIMITS = {
  name: LIMITS.name,
  email: LIMITS.email,
  message: LIMITS.message,
  recipients: LIMITS.recipients,
  permission: LIMITS.permission,
  permissions: LIMITS.expandedPermissions,
  /** A built-in role or a custom role name: the decider bounds it as any name. */
  customRoleName: LIMITS.name,
  expiryHours: LIMITS.invitationExpiryHours,
  policyDays: LIMITS.tokenPolicyDays,
  notificationReason: 200,
  route: LIMITS.impersonatedRoute,
  notificationAttempts: 1000,
} as const;

// ---- building blocks ----

/** No C0 control character (U+0000–U+001F) in any string of any event. */
const NO_C0 = '^[^\\u0000-\\u001f]*$';

/** A closed object: a property not listed is refused. */
export const Strict = <P extends Parameters<typeof Type.Object>[0]>(
  properties: P,
  annotations: { readonly title?: string; readonly description?: string } = {},
) => Type.Object(properties, { additionalProperties: false, ...annotations });

export const Uuid = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });

export const UserId = (
  description = 'A user id: the identity provider\'s `sub` (printable ASCII, 1–255, no "/", no whitespace)',
) => Type.String({ minLength: 1, maxLength: MAX_USER_ID_LENGTH, pattern: USER_ID_PATTERN.source, description });

export const Email = (
  description = `An e-mail address as typed (at most ${EVENT_LIMITS.email} characters, with an "@")`,
) =>
  Type.String({
    minLength: 3,
    maxLength: EVENT_LIMITS.email,
    pattern: '^[^\\u0000-\\u001f]+@[^\\u0000-\\u001f]+$',
    description,
  });

export const Text = (minLength: number, maxLength: number, description?: string) =>
  Type.String({ minLength, maxLength, pattern: NO_C0, ...(description ? { description } : {}) });

export const Name = (description?: string) => Text(1, EVENT_LIMITS.name, description);

/** Free text people write (a share's message): line feeds and tabs allowed, other controls not. */
const NO_C0_IN_FREE_TEXT = '^[^\\u0000-\\u0008\\u000b-\\u001f]*$';
export const FreeText = (maxLength: number, description?: string) =>
  Type.String({ minLength: 0, maxLength, pattern: NO_C0_IN_FREE_TEXT, ...(description ? { description } : {}) });

export const DateTime = (description?: string) =>
  Type.String({ format: 'date-time', maxLength: 40, ...(description ? { description } : {}) });

export const Sha256Hex = (description: string) => Type.String({ pattern: '^[0-9a-f]{64}$', description });

export const RoleSchema = Type.Union(
  ROLES.map((role) => Type.Literal(role)) as unknown as [
    TLiteral<'owner'>,
    TLiteral<'administrator'>,
    TLiteral<'accountant'>,
    TLiteral<'read-only'>,
  ],
  { description: 'A built-in role' },
);

/** A built-in role or the name of one of the account's custom roles. */
export const RoleName = () =>
  Type.String({
    minLength: 1,
    maxLength: EVENT_LIMITS.customRoleName,
    pattern: ROLE_NAME_PATTERN.source,
    description: 'A built-in role or a custom role name',
  });

export const AccessTypeSchema = Type.Union(
  ACCESS_TYPES.map((type) => Type.Literal(type)) as unknown as [TLiteral<'delegate'>, TLiteral<'api_token'>],
);

/** `<section>:read|manage`, or an SBS scope `service:action:resource` with `*` only last. */
const Permission = Type.String({
  minLength: 1,
  maxLength: EVENT_LIMITS.permission,
  pattern: PERMISSION_PATTERN.source,
});
export const Permissions = () =>
  Type.Array(Permission, { maxItems: EVENT_LIMITS.permissions, description: 'Expanded permissions' });

export const ScopeSchema = Type.Union(
  [
    Strict({ type: Type.Literal('global') }),
    Strict({
      type: Type.Literal('restricted'),
      billingAccountId: Uuid('With type restricted: the one billing account'),
    }),
  ],
  { title: 'Scope', description: 'Global (every billing account) or restricted to one billing account' },
);

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
