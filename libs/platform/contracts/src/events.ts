import type { ApiTokenEvent } from './api-token/events';
import type { InvitationEvent } from './invitation/events';
import type { ImpersonationEvent, MembershipEvent } from './membership/events';
import type { NotificationEvent } from './notification/events';

// Every Accord event, across the contexts. Each context's events (schema and data type) are in
// <context>/events.ts; the data types are derived from the schemas, so there is one description
// of each event's data.

export * from './api-token/events';
export * from './invitation/events';
export * from './membership/events';
export * from './notification/events';

export type AccordEvent = MembershipEvent | ImpersonationEvent | InvitationEvent | ApiTokenEvent | NotificationEvent;
export type AccordEventType = AccordEvent['type'];

/** Which bounded context owns an event type: the middle part of its NATS subject. */
export const EVENT_CONTEXT: Readonly<Record<AccordEventType, 'membership' | 'invitation' | 'token' | 'notification'>> =
  {
    AccountCreated: 'membership',
    MemberJoined: 'membership',
    MemberRemoved: 'membership',
    MemberLeft: 'membership',
    RoleChanged: 'membership',
    MemberPermissionsChanged: 'membership',
    MemberScopeChanged: 'membership',
    MemberDisplayNameChanged: 'membership',
    AccountDisplayNameChanged: 'membership',
    EnvironmentCreationChanged: 'membership',
    OwnershipTransferred: 'membership',
    BillingAccountCreated: 'membership',
    CustomRoleDefined: 'membership',
    AccountRenamed: 'membership',
    AccountClosed: 'membership',
    BillingAccountRenamed: 'membership',
    BillingAccountDeleted: 'membership',
    CustomRoleDeleted: 'membership',
    ImpersonatedReadRecorded: 'membership',
    AccessShared: 'invitation',
    InvitationAccepted: 'invitation',
    InvitationResent: 'invitation',
    InvitationRevoked: 'invitation',
    InvitationDeclined: 'invitation',
    InvitationExpired: 'invitation',
    InvitationSettingsChanged: 'invitation',
    AccessRecipientsAdded: 'invitation',
    AccessRenamed: 'invitation',
    AccessRevoked: 'invitation',
    AccessExpired: 'invitation',
    ApiTokenIssued: 'token',
    ApiTokenRevoked: 'token',
    ApiTokenRotated: 'token',
    TokenPolicyChanged: 'token',
    NotificationSent: 'notification',
    NotificationFailed: 'notification',
    WebhookEndpointRegistered: 'notification',
    WebhookEndpointDeleted: 'notification',
    WebhookEndpointDisabled: 'notification',
  };

/** Stream naming `<category>-<id>` (DESIGN.md). */
export const streams = {
  account: (accountId: string) => `account-${accountId}`,
  /** All accesses and invitations of one account. */
  access: (accountId: string) => `access-${accountId}`,
  notification: (notificationId: string) => `notification-${notificationId}`,
  token: (tokenId: string) => `token-${tokenId}`,
  tokenPolicy: (accountId: string) => `token-policy-${accountId}`,
  /** The webhook endpoints of one account. */
  webhook: (accountId: string) => `webhook-${accountId}`,
  /** Reads a platform admin made while impersonating users. */
  impersonation: (impersonatorId: string) => `impersonation-${impersonatorId}`,
} as const;

/** The account an event belongs to, for the envelope's `accountId`. */
export function accountIdOf(event: AccordEvent): string | null {
  return event.data.accountId;
}

/** The data of one event type: `EventDataOf<'MemberJoined'>` is `MemberJoinedData`. */
export type EventDataOf<T extends AccordEventType> = Extract<AccordEvent, { readonly type: T }>['data'];
