import type { Page, PagePayload } from '../paging';

/** One notification in a person's inbox. */
export interface InboxNotificationView {
  readonly id: string;
  /** `access_expired`: to the owners, when an access shared from their account ran out (INV-29). */
  readonly kind: 'access_shared' | 'member_removed' | 'role_changed' | 'access_expired' | 'webhook_disabled';
  readonly accountId: string;
  /** Human sentence, e.g. "Olivia shared access to Acme with you (administrator)." */
  readonly text: string;
  readonly createdAt: string;
  readonly read: boolean;
}

/** One page of the inbox, newest first, with the unread count of the whole inbox. */
export interface InboxView extends Page<InboxNotificationView> {
  readonly unread: number;
}

/** The inbox belongs to a verified e-mail address (a person may not have an account yet). */
export interface InboxPayload extends PagePayload {
  readonly email: string;
  /** Only unread notifications. */
  readonly unread?: boolean;
}

export interface MarkReadPayload {
  readonly email: string;
  readonly notificationId: string;
}

/** Marking read answers no store position: the inbox is the notification service's own table. */
export interface MarkReadResult {
  readonly read: true;
}

/** Every notification of the inbox, read at once. */
export interface MarkAllReadPayload {
  readonly email: string;
}

export interface MarkAllReadResult {
  /** How many were unread until now. */
  readonly marked: number;
}
