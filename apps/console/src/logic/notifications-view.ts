/**
 * The notifications screen's rules, kept apart from React so they can be tested, and the signal
 * that tells the header's bell to count the unread ones again.
 */
import { hrefOf } from './route';

export type NotificationKind =
  'access_shared' | 'member_removed' | 'role_changed' | 'access_expired' | 'webhook_disabled';

/** A notice as `GET /v1/me/notifications` lists it, newest first. */
export interface InboxNotification {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly accountId: string;
  readonly text: string;
  readonly createdAt: string;
  readonly read: boolean;
}

/** One page of the inbox, with the unread count of the whole inbox. */
export interface InboxPage {
  readonly items: InboxNotification[];
  readonly next: string | null;
  readonly unread: number;
}

/** Where a notice leads, when somewhere helps: the invitation to answer, or the account concerned. */
export function notificationLink(n: InboxNotification): { href: string; label: string } | null {
  switch (n.kind) {
    case 'access_shared':
      return { href: hrefOf({ screen: 'invitations' }), label: 'Answer the invitation' };
    case 'role_changed':
      return {
        href: hrefOf({ screen: 'account', accountId: n.accountId, section: 'users' }),
        label: 'Open the account',
      };
    case 'access_expired':
      return {
        href: hrefOf({ screen: 'account', accountId: n.accountId, section: 'access' }),
        label: 'See the account’s accesses',
      };
    case 'webhook_disabled':
      return {
        href: hrefOf({ screen: 'account', accountId: n.accountId, section: 'users' }),
        label: 'Open the account',
      };
    case 'member_removed':
      return null; // they are no longer a member: the account would answer 404
    default:
      return null;
  }
}

/** Newest first (as the API sends them; sorting again keeps a merged list in order), ties by id. */
export function newestFirst(items: readonly InboxNotification[]): InboxNotification[] {
  return [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

/** The list after some notices were marked read here (no need to fetch it again to show it). */
export function markedRead(items: readonly InboxNotification[], ids: ReadonlySet<string>): InboxNotification[] {
  return items.map((n) => (ids.has(n.id) && !n.read ? { ...n, read: true } : n));
}

/** The window event that asks the header's bell to count the unread notices again. */
export const NOTIFICATIONS_CHANGED = 'accord:notifications-changed';

/** Tells the bell that notices were read (or may have arrived): it asks the API again. */
export function announceNotificationsChanged(target: Pick<EventTarget, 'dispatchEvent'> = window): void {
  target.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
}
