import type { AccessGrant } from './invitation-view';
import type { Scope } from './people';

/** An access as GET …/accesses gives it: the name is the sharer's own label (null for anyone else). */
export type AccessType = 'delegate' | 'api_token';
export type AccessStatus = 'active' | 'revoked' | 'expired';
export type RecipientStatus = 'pending' | 'accepted' | 'declined' | 'revoked' | 'expired' | 'ended';

export interface AccessRecipient {
  readonly email: string;
  readonly invitationId: string;
  readonly status: RecipientStatus;
  readonly expiresAt: string;
  readonly endedAt?: string;
  readonly endedReason?: string;
}

export interface Access extends AccessGrant {
  readonly id: string;
  readonly name: string | null;
  readonly type: AccessType;
  readonly scope: Scope;
  readonly role: string;
  readonly sharedBy: string;
  readonly sharedAt: string;
  readonly expiresAt: string;
  readonly recipients: readonly AccessRecipient[];
  readonly status: AccessStatus;
  readonly accessExpiresAt: string | null;
  readonly endedAt: string | null;
}

export function accessTypeLabel(type: string): string {
  if (type === 'delegate') return 'Delegate access';
  if (type === 'api_token') return 'API token';
  return type;
}

export function accessStatusLabel(status: string): string {
  if (status === 'active') return 'Active';
  if (status === 'revoked') return 'Revoked';
  if (status === 'expired') return 'Expired';
  return status;
}

const END_REASONS = new Map<string, string>([
  ['removed', 'removed by an owner'],
  ['left', 'left the account'],
  ['access_revoked', 'access revoked'],
  ['expired', 'access ended'],
  ['account_closed', 'account closed'],
]);

/** "Pending", "Accepted", …, "Ended (left the account)"; reasons added later are shown as sent. */
export function recipientStatusLabel(recipient: Pick<AccessRecipient, 'status' | 'endedReason'>): string {
  const base = recipient.status.charAt(0).toUpperCase() + recipient.status.slice(1);
  if (recipient.status !== 'ended' || !recipient.endedReason) return base;
  return `${base} (${END_REASONS.get(recipient.endedReason) ?? recipient.endedReason.replace(/_/g, ' ')})`;
}

/** The name the sharer gave it, or for anyone else who shared it (the API hides the name from them). */
export function accessTitle(
  access: Pick<Access, 'name' | 'sharedBy'>,
  emailOf: (userId: string) => string | undefined,
) {
  if (access.name !== null) return access.name;
  return `Shared by ${emailOf(access.sharedBy) ?? 'another owner'}`;
}

/**
 * The access end date from a date input (`2027-06-30`): the end of that day in the browser's zone,
 * as an ISO instant with a zone (what the API takes). Empty → undefined (the access does not end).
 */
export function accessEndOf(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 23, 59, 59).toISOString();
}

/** A date-time for people, in the browser's locale. */
export function whenText(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
