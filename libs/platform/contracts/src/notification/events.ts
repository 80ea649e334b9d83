import { Type } from '@sinclair/typebox';
import {
  DateTime,
  Email,
  EVENT_LIMITS,
  Sha256Hex,
  Strict,
  Text,
  UserId,
  Uuid,
  type EventData,
} from '../event-schema-blocks';
import { WEBHOOK_LIMITS } from './webhook-messages';

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

// Webhook endpoints of an account: one stream per account (`webhook-<accountId>`). The signing
// secret never enters an event: only its SHA-256 and a short prefix (NOT-12).

const WebhookUrl = () =>
  Text(1, WEBHOOK_LIMITS.url, 'The endpoint URL: https, or http to a loopback host in the embedded profile');

/** An owner registered an endpoint for some of the account's event types. */
const WebhookEndpointRegistered = Strict({
  endpointId: Uuid(),
  accountId: Uuid(),
  url: WebhookUrl(),
  eventTypes: Type.Array(
    Type.String({
      minLength: 2,
      maxLength: 64,
      pattern: '^[A-Z][A-Za-z0-9]+$',
      description: 'An event type, e.g. `MemberJoined`',
    }),
    {
      minItems: 1,
      maxItems: WEBHOOK_LIMITS.eventTypes,
      uniqueItems: true,
    },
  ),
  secretPrefix: Type.String({
    pattern: '^whsec_[A-Za-z0-9+/]{4}$',
    description: '`whsec_` and the first 4 characters of the signing secret',
  }),
  secretHash: Sha256Hex('SHA-256 of the whole signing secret, hex'),
  registeredBy: UserId(),
});
export type WebhookEndpointRegisteredData = EventData<typeof WebhookEndpointRegistered>;

const WebhookEndpointDeleted = Strict({
  endpointId: Uuid(),
  accountId: Uuid(),
  deletedBy: UserId(),
});
export type WebhookEndpointDeletedData = EventData<typeof WebhookEndpointDeleted>;

/** Accord stopped delivering to an endpoint that failed every attempt of a delivery for 24 hours. */
const WebhookEndpointDisabled = Strict({
  endpointId: Uuid(),
  accountId: Uuid(),
  url: WebhookUrl(),
  reason: Type.Literal('failing_for_24h'),
  /** The first failed attempt of the delivery that was given up. */
  failingSince: DateTime(),
  /** Short, secret-free: the last HTTP status or network error code. */
  lastFailure: Text(1, EVENT_LIMITS.notificationReason, 'The last HTTP status or network error code'),
});
export type WebhookEndpointDisabledData = EventData<typeof WebhookEndpointDisabled>;

export type NotificationEvent =
  | { readonly type: 'NotificationSent'; readonly data: NotificationSentData }
  | { readonly type: 'NotificationFailed'; readonly data: NotificationFailedData }
  | { readonly type: 'WebhookEndpointRegistered'; readonly data: WebhookEndpointRegisteredData }
  | { readonly type: 'WebhookEndpointDeleted'; readonly data: WebhookEndpointDeletedData }
  | { readonly type: 'WebhookEndpointDisabled'; readonly data: WebhookEndpointDisabledData };

/** The webhook events: the endpoint aggregate's (stream `webhook-<accountId>`). */
export type WebhookEndpointEvent = Extract<NotificationEvent, { readonly type: `WebhookEndpoint${string}` }>;

/** The schema of each notification event's data, in the order docs/events.md lists them. */
export const NOTIFICATION_EVENT_SCHEMAS = {
  NotificationSent,
  NotificationFailed,
  WebhookEndpointRegistered,
  WebhookEndpointDeleted,
  WebhookEndpointDisabled,
} as const;
