/** One notification in a person's inbox. */
export interface InboxNotificationView {
  readonly id: string;
  readonly kind: 'access_shared' | 'member_removed' | 'role_changed';
  readonly accountId: string;
  /** Human sentence, e.g. "Olivia shared access to Acme with you (administrator)." */
  readonly text: string;
  readonly createdAt: string;
  readonly read: boolean;
}

export interface InboxView {
  readonly unread: number;
  /** Newest first. */
  readonly notifications: readonly InboxNotificationView[];
}

/** The inbox belongs to a verified e-mail address (a person may not have an account yet). */
export interface InboxPayload {
  readonly email: string;
}

export interface MarkReadPayload {
  readonly email: string;
  readonly notificationId: string;
}

/** Marking read answers no store position: the inbox is the notification service's own table. */
export interface MarkReadResult {
  readonly read: true;
}
