import { Type } from '@sinclair/typebox';
import { Email, EVENT_LIMITS, Strict, Text, Uuid, type EventData } from '../event-schema-blocks';

// The notification context's events, one stream per notification (`notification-<id>`). Each
// schema is the one description of its event's data; the `…Data` type beside it is derived from it.

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
  /** The event that caused this notification (its id; dedup key together with `to`). */
  causeEventId: Uuid('The id of the event that caused this notification'),
  attempt: Type.Integer({ minimum: 1, maximum: EVENT_LIMITS.notificationAttempts }),
};

/** A delivery outcome, so an invitation's history shows whether its e-mail went out. */
const NotificationSent = Strict(NotificationSentProperties);
export type NotificationSentData = EventData<typeof NotificationSent>;

export type NotificationKind = NotificationSentData['kind'];

const NotificationFailed = Strict({
  ...NotificationSentProperties,
  /** Short, secret-free reason (SMTP code and class), never the message body. */
  reason: Text(1, EVENT_LIMITS.notificationReason, 'Short, secret-free reason (SMTP code or network error code)'),
  willRetry: Type.Boolean(),
});
export type NotificationFailedData = EventData<typeof NotificationFailed>;

export type NotificationEvent =
  | { readonly type: 'NotificationSent'; readonly data: NotificationSentData }
  | { readonly type: 'NotificationFailed'; readonly data: NotificationFailedData };

/** The schema of each notification event's data, in the order docs/events.md lists them. */
export const NOTIFICATION_EVENT_SCHEMAS = { NotificationSent, NotificationFailed } as const;
