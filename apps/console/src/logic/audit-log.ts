/**
 * The audit log screen's rules, apart from React: the filter form's values as the API's query, the
 * event types to filter by with readable names, and the export's file name.
 */
import type { Query } from '../api/client';

/** One entry of `GET /v1/accounts/{id}/audit-log` (newest first). */
export interface AuditEntry {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly actor: { readonly userId: string; readonly via: string; readonly tokenId?: string };
  readonly sentence: string;
}

/** The audit log's page: `entries` and `next`, which goes back as `after` (not `cursor`). */
export interface AuditPage {
  readonly entries: AuditEntry[];
  readonly next: string | null;
}

/** The filter form as typed: dates as `<input type="date">` gives them (YYYY-MM-DD), '' = any. */
export interface AuditFilter {
  readonly type: string;
  readonly actorId: string;
  readonly from: string;
  readonly to: string;
}

export const NO_FILTER: AuditFilter = { type: '', actorId: '', from: '', to: '' };

/** The account's event types, as the audit log's `type` filter knows them. */
export const AUDIT_EVENT_TYPES: readonly string[] = [
  'AccountCreated',
  'AccountRenamed',
  'AccountDisplayNameChanged',
  'AccountClosed',
  'MemberJoined',
  'MemberRemoved',
  'MemberLeft',
  'RoleChanged',
  'MemberPermissionsChanged',
  'MemberScopeChanged',
  'MemberDisplayNameChanged',
  'EnvironmentCreationChanged',
  'OwnershipTransferred',
  'BillingAccountCreated',
  'BillingAccountRenamed',
  'BillingAccountDeleted',
  'CustomRoleDefined',
  'CustomRoleDeleted',
  'AccessShared',
  'AccessRecipientsAdded',
  'AccessRenamed',
  'AccessRevoked',
  'AccessExpired',
  'InvitationAccepted',
  'InvitationDeclined',
  'InvitationResent',
  'InvitationRevoked',
  'InvitationExpired',
  'InvitationSettingsChanged',
  'ApiTokenIssued',
  'ApiTokenRevoked',
  'ApiTokenRotated',
  'TokenPolicyChanged',
  'WebhookEndpointRegistered',
  'WebhookEndpointDeleted',
  'WebhookEndpointDisabled',
  'NotificationSent',
  'NotificationFailed',
  'ImpersonatedReadRecorded',
];

/** "RoleChanged" → "Role changed", "ApiTokenIssued" → "API token issued". */
export function eventTypeLabel(type: string): string {
  const words = type
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(' ')
    .map((w, i) => (w === 'Api' ? 'API' : i === 0 ? w : w.toLowerCase()));
  return words.join(' ');
}

/** The day after a YYYY-MM-DD date, or undefined when it is not one. */
function nextDay(date: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
  return next.toISOString().slice(0, 10);
}

/**
 * The range part of the query. `from` is a day's start; the form's `to` day is included, and the
 * API's `to` is exclusive, so it becomes the next day's start. A value that is not a date goes as
 * typed: the API answers with its message for the field.
 */
function rangeQuery(filter: AuditFilter): Query {
  const to = filter.to === '' ? undefined : (nextDay(filter.to) ?? filter.to);
  return { from: filter.from || undefined, to };
}

/** The query of one page of the log: the filter, and `after` = the previous page's `next`. */
export function auditLogQuery(filter: AuditFilter, after?: string | null, limit = 50): Query {
  return {
    limit,
    type: filter.type || undefined,
    actorId: filter.actorId || undefined,
    ...rangeQuery(filter),
    after: after ?? undefined,
  };
}

/** The export's query: its range only (the API refuses a page's parameters there). */
export function auditExportQuery(filter: AuditFilter): Query {
  return rangeQuery(filter);
}

/** The export's file name: the server's (Content-Disposition) when it gives one, else the account's. */
export function exportFileName(disposition: string | null, accountId: string): string {
  const m = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  const name = m?.[1]?.trim();
  return name && /^[\w.-]+$/.test(name) ? name : `audit-${accountId}.jsonl`;
}
