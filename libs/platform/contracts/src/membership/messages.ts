import type { MemberJoinedData } from './events';
import type { Actor, EventEnvelope } from '../envelope';
import type { Scope } from '../model';
import type { CommandResult } from '../shared/requests';
import type { PagePayload } from '../paging';

export interface CreateAccountPayload {
  readonly name: string;
  readonly owner: { readonly userId: string; readonly email: string };
}

export interface AccountCreatedResult extends CommandResult {
  readonly id: string;
  readonly name: string;
}

/** Adding a member carries exactly what `MemberJoined` will record. */
export type AddMemberPayload = MemberJoinedData;

/** An account as one of its members sees it: "Shared with me" (MEM-19). */
export interface AccountView {
  readonly id: string;
  readonly name: string;
  /** A built-in role or the name of the account's custom role. */
  readonly role: string;
  readonly ownerEmail: string;
  readonly isRootOwner: boolean;
  /** The member's own name for the account (MEM-18). */
  readonly displayName: string | null;
  readonly mayCreateEnvironments: boolean;
  readonly scope: Scope;
}

export interface MemberView {
  readonly userId: string;
  readonly email: string;
  readonly role: string;
  readonly status: 'active';
  readonly isRootOwner: boolean;
  readonly scope: Scope;
  readonly joinedAt: string;
  /** The owner's name for this member (MEM-17). */
  readonly displayName: string | null;
  readonly permissions: readonly string[];
  readonly mayCreateEnvironments: boolean;
}

export interface ChangeMemberPayload {
  readonly accountId: string;
  readonly userId: string;
  readonly role?: string;
  readonly permissions?: readonly string[];
  readonly scope?: Scope;
  readonly displayName?: string | null;
  readonly mayCreateEnvironments?: boolean;
}

export interface MemberRefPayload {
  readonly accountId: string;
  readonly userId: string;
}

export interface NameAccountPayload {
  readonly accountId: string;
  readonly displayName: string | null;
}

export interface CreateBillingAccountPayload {
  readonly accountId: string;
  readonly name: string;
}

export interface BillingAccountView {
  readonly id: string;
  readonly name: string;
}

export interface DefineCustomRolePayload {
  readonly accountId: string;
  readonly name: string;
  readonly permissions: readonly string[];
}

export interface CustomRoleView {
  readonly name: string;
  readonly permissions: readonly string[];
}

export type SupportAccessLevel = 'management' | 'read only' | 'none';

/** One section of the permission catalog as clients see it (AUTHZ-4 to AUTHZ-6). */
export interface PermissionSectionView {
  readonly name: string;
  /** AUTHZ-4: the sections granting this one also grants, at the same level (transitively, itself excluded). */
  readonly implies: readonly string[];
  /** The levels a grant may give a non-owner (empty: owner-only or needs no grant). */
  readonly grantableLevels: readonly ('read' | 'manage')[];
  /** AUTHZ-5: only owners hold it (reading the user list excepted). */
  readonly ownerOnly: boolean;
  /** AUTHZ-6: every member uses it without a grant. */
  readonly availableToAll: boolean;
  /** About the account itself, not one billing account's resources (kept under a restricted scope). */
  readonly accountLevel: boolean;
}

/** The permission catalog in force, for forms that build permission lists (GET /v1/permissions). */
export interface PermissionCatalogView {
  readonly levels: readonly ('read' | 'manage')[];
  readonly sections: readonly PermissionSectionView[];
  /** AUTHZ-1, AUTHZ-3: what each built-in role holds. */
  readonly roles: readonly CustomRoleView[];
  /** AUTHZ-16, AUTHZ-17: permissions no list grants (a member's flag, being the root owner). */
  readonly special: readonly string[];
}

/** The catalog query names nothing: the catalog is the same for every account. */
export type PermissionCatalogPayload = Record<string, never>;

/** AUTHZ-15: what support may do for this member, per section. */
export interface MemberAccessView {
  readonly userId: string;
  readonly role: string;
  readonly sections: Readonly<Record<string, SupportAccessLevel>>;
  /** INV-29: when the access the member joined through ends (they are removed then); null: never. */
  readonly accessExpiresAt: string | null;
}

export interface AuthzCheckPayload {
  /** The user asked about; for a request made with an API token, pass `tokenId` (and any userId). */
  readonly userId: string;
  /** Ask about an API token: its effective permissions are the token's ∩ its user's current ones. */
  readonly tokenId?: string;
  readonly accountId: string;
  readonly permission: string;
  readonly billingAccountId?: string;
  /**
   * Before answering "no", let the index catch up with the store (one store read, on denials
   * only). The gateway's route guards set it so that an owner is never turned away right after
   * creating an account; internal services' checks stay memory-only.
   */
  readonly confirmDenial?: boolean;
}

export interface AuthzDecision {
  readonly allowed: boolean;
  readonly reason: string;
  /** The member's role when they are one; absent when the user is not a member. */
  readonly role?: string;
  /** The member's scope (a token's never exceeds it). */
  readonly scope?: Scope;
  /** INV-29: when the member's time-limited access ends; absent when it does not (or not a member). */
  readonly accessExpiresAt?: string;
  /** MEM-24: the account is closed; only reads are still allowed (the gateway answers 410). */
  readonly accountClosed?: true;
}

/**
 * What another context needs to know about a user in an account to decide its own rules itself
 * (the invitation service: may this user share, does the billing account exist; the token service:
 * may this user revoke others' tokens, does a token ask more than its user holds).
 */
export interface GrantFactsPayload {
  readonly accountId: string;
  readonly userId: string;
  /** Permissions to check for the user, answered in `held` in the same order. */
  readonly permissions?: readonly string[];
  /** Check `permissions` within this billing account (else within the user's own scope). */
  readonly billingAccountId?: string;
  /**
   * Permissions this user wants to give someone (a share's, INV-26): validated and expanded as a
   * `PATCH …/members/{userId}` would, then each expanded one checked as held; answered in `grant`.
   */
  readonly grant?: readonly string[];
}

/**
 * The answer on `GrantFactsPayload.grant`: the expanded permissions and, for each, whether the
 * user holds it themselves; or the first permission no grant may give, with why.
 */
export type GrantCheck =
  | { readonly ok: true; readonly permissions: readonly string[]; readonly held: readonly boolean[] }
  | { readonly ok: false; readonly index: number; readonly reason: string };

export interface GrantFacts {
  /** False when the account does not exist or the user is not a member. */
  readonly member: boolean;
  readonly role: string | null;
  /** Holds the owner role (owners alone manage users, share access and revoke others' tokens). */
  readonly owner: boolean;
  readonly rootOwner: boolean;
  readonly scope: Scope | null;
  /** Every billing account of the account (empty when not a member). */
  readonly billingAccountIds: readonly string[];
  /** `held[i]`: the user holds `permissions[i]` (within `billingAccountId` when given). */
  readonly held: readonly boolean[];
  /** Present when `grant` was asked. */
  readonly grant?: GrantCheck;
  /**
   * MEM-24: the account is closed (said to members and non-members alike: the asking service
   * decides what its caller may learn). A closed account takes no more commands anywhere.
   */
  readonly accountClosed?: boolean;
}

/** Sent by the gateway before it answers a read made under impersonation (the actor says who). */
export interface RecordImpersonatedReadPayload {
  readonly accountId: string | null;
  readonly route: string;
}

/** The accounts a user is a member of ("Shared with me"), a page at a time. */
export interface AccountsOfUserPayload extends PagePayload {
  readonly userId: string;
  /** Only this account (an API token sees its own account only). */
  readonly accountId?: string;
}

/** The members of an account, a page at a time, in the order they joined. */
export interface MembersOfAccountPayload extends PagePayload {
  readonly accountId: string;
  /** Only members with this role (built-in or custom). */
  readonly role?: string;
  /** Only members whose e-mail or owner-given display name starts with this, in any case. */
  readonly q?: string;
}

// The account owner's audit log: owners only, never under impersonation (the gateway
// decides who may ask; these queries carry no caller).

/** Page sizes of the audit log and of the raw events behind the export. */
export const AUDIT_LOG_LIMITS = {
  /** Entries per audit log page when the caller does not say. */
  defaultPage: 50,
  /** Most entries per audit log page (a page may hold fewer: replies stay under NATS's message size). */
  maxPage: 200,
  /** Most raw events per `auditEvents` page. */
  maxEventsPage: 500,
} as const;

/** One page of an account's audit log, newest first. */
export interface AuditLogPayload {
  readonly accountId: string;
  /** Global position of the last entry already seen: the page holds older entries only. */
  readonly before?: number;
  /** 1 to `AUDIT_LOG_LIMITS.maxPage`. */
  readonly limit: number;
  /** Only these event types. */
  readonly types?: readonly string[];
  /** Only events whose actor is this user. */
  readonly actorId?: string;
  /** ISO-8601 UTC: only events that occurred at or after it. */
  readonly from?: string;
  /** ISO-8601 UTC: only events that occurred before it. */
  readonly to?: string;
}

/** One event of the audit log as an owner reads it. */
export interface AuditLogEntry {
  readonly id: string;
  readonly type: string;
  /** ISO-8601 UTC. */
  readonly occurredAt: string;
  /** Who did it and how (`via`, and `impersonatorId` for a platform admin acting as them). */
  readonly actor: Actor;
  /** What happened, in one sentence ("olivia@… changed mike@…'s role from accountant to administrator"). */
  readonly sentence: string;
  /** The event's data without secrets. */
  readonly data: unknown;
}

export interface AuditLogPage {
  readonly entries: readonly AuditLogEntry[];
  /**
   * `before` of the next (older) page: the global position of this page's last entry; null when
   * there is nothing older. The gateway turns it into an opaque cursor.
   */
  readonly nextBefore: number | null;
}

/** An account's raw events in global order, for the signed export. */
export interface AuditEventsPayload {
  readonly accountId: string;
  /** Global position already read (exclusive); 0 for the start. */
  readonly after: number;
  /** 1 to `AUDIT_LOG_LIMITS.maxEventsPage`. */
  readonly limit: number;
  /** ISO-8601 UTC: only events that occurred at or after it. */
  readonly from?: string;
  /** ISO-8601 UTC: only events that occurred before it. */
  readonly to?: string;
}

export interface AuditEventsPage {
  /**
   * In global order. A page may hold fewer than `limit` (a reply stays well under NATS's message
   * size); only an empty page means there is nothing more for now.
   */
  readonly events: readonly EventEnvelope[];
}

/** "Could this user do this, at that instant?": asked of one account's history. */
export interface AccessHistoryPayload {
  readonly accountId: string;
  readonly userId: string;
  readonly permission: string;
  readonly billingAccountId?: string;
  /** An ISO-8601 instant with its zone (`isIsoInstant`); events at exactly this instant count. */
  readonly at: string;
}

/** One event a decision at an instant rests on: who caused it, through what, and which fact it set. */
export interface GrantEvidence {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly actor: Actor;
  /** The fact this event set, e.g. "role accountant", "permissions", "custom role analyst defined". */
  readonly what: string;
}

/**
 * The authorization check's answer as it stood at `at`, with the events behind it: for an
 * allowance the grants it rests on; for a former member's denial the event that ended the
 * membership. `role` and `scope` are the member's at that instant, null when not a member.
 */
export interface AccessAtAnswer {
  readonly allowed: boolean;
  /** Exactly the reason the live check gives for the same state. */
  readonly reason: string;
  /** The instant asked about, in UTC. */
  readonly at: string;
  readonly role: string | null;
  readonly scope: Scope | null;
  readonly grants: readonly GrantEvidence[];
}

/** Longest `at` any reader takes (a full ISO-8601 instant with nanoseconds and an offset is 35). */
export const MAX_INSTANT_LENGTH = 40;

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

/**
 * An ISO-8601 date and time WITH a zone (`Z` or an offset): an instant, the same everywhere. A
 * time without a zone would be read in the reader's local time, so the same question could get
 * two answers. Impossible dates (February 30) are refused though `Date.parse` rolls them over.
 */
export function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_INSTANT_LENGTH) return false;
  const match = ISO_INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate() && !Number.isNaN(Date.parse(value));
}

// One resource of an account (GET …/{id}): each answers with its list's item, or `notFound`.

/** One account as the user's account list shows it; `notFound` unless the user is a member. */
export interface AccountOfUserPayload {
  readonly accountId: string;
  readonly userId: string;
}

/** One billing account of the account. */
export interface BillingAccountRefPayload {
  readonly accountId: string;
  readonly billingAccountId: string;
}

/** One custom role of the account, by name. */
export interface CustomRoleRefPayload {
  readonly accountId: string;
  readonly name: string;
}

// The lifecycles of an account, its billing accounts and custom roles (MEM-21 to MEM-27).

/** MEM-21: an owner renames the account. */
export interface RenameAccountPayload {
  readonly accountId: string;
  readonly name: string;
}

/** MEM-22: the root owner closes the account, typing its current name to confirm. */
export interface CloseAccountPayload {
  readonly accountId: string;
  readonly confirmName: string;
}

/** MEM-25: an owner renames a billing account. */
export interface RenameBillingAccountPayload {
  readonly accountId: string;
  readonly billingAccountId: string;
  readonly name: string;
}
