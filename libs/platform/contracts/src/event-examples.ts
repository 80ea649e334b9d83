import type { AccordEventType, EventDataOf } from './events';

const ACCOUNT = '6f1c2a4e-9b3d-4c1e-8a2f-0d5e7b9c1a23';
const BILLING = '0b7d4c2a-1e3f-4a5b-9c8d-7e6f5a4b3c2d';
const ACCESS = 'a3e1f5c7-2b4d-4e6f-8a1c-3d5e7f9b1c2e';
const INVITATION = 'c9d8e7f6-a5b4-4c3d-9e2f-1a0b9c8d7e6f';
const TOKEN = 'e2f4a6c8-1b3d-4f5a-8c7e-9d1b3f5a7c9e';
const NOTIFICATION = '5a6b7c8d-9e0f-5a1b-8c2d-3e4f5a6b7c8d';
const CAUSE = '7d8e9f0a-1b2c-4d3e-9f4a-5b6c7d8e9f0a';
const OWNER = 'auth0|65f0c1d2e3f4a5b6c7d8e9f0';
const MEMBER = 'google-oauth2|108765432109876543210';
const HASH = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const LINK = { nonce: 'q1w2e3r4t5y6u7i8o9p0aA', tokenHash: HASH };

/**
 * One valid `data` per event type: the examples of docs/events.md and the valid samples of the
 * schema specs. Typed by the data types derived from the schemas, so a schema change shows here.
 */
export const EVENT_EXAMPLES: { readonly [T in AccordEventType]: EventDataOf<T> } = {
  AccountCreated: { accountId: ACCOUNT, name: 'Acme', rootOwner: { userId: OWNER, email: 'olivia@example.com' } },
  MemberJoined: {
    accountId: ACCOUNT,
    userId: MEMBER,
    email: 'mike@example.com',
    role: 'accountant',
    scope: { type: 'restricted', billingAccountId: BILLING },
    accessId: ACCESS,
    invitationId: INVITATION,
  },
  MemberRemoved: { accountId: ACCOUNT, userId: MEMBER, email: 'mike@example.com', removedBy: OWNER },
  MemberLeft: { accountId: ACCOUNT, userId: MEMBER, email: 'mike@example.com' },
  RoleChanged: {
    accountId: ACCOUNT,
    userId: MEMBER,
    email: 'mike@example.com',
    from: 'accountant',
    to: 'dns-admin',
    changedBy: OWNER,
  },
  MemberPermissionsChanged: {
    accountId: ACCOUNT,
    userId: MEMBER,
    permissions: ['servers:read', 'sbs:instance:*'],
    changedBy: OWNER,
  },
  MemberScopeChanged: { accountId: ACCOUNT, userId: MEMBER, scope: { type: 'global' }, changedBy: OWNER },
  MemberDisplayNameChanged: { accountId: ACCOUNT, userId: MEMBER, displayName: 'Mike (finance)', changedBy: OWNER },
  AccountDisplayNameChanged: { accountId: ACCOUNT, userId: MEMBER, displayName: null },
  EnvironmentCreationChanged: { accountId: ACCOUNT, userId: MEMBER, mayCreateEnvironments: true, changedBy: OWNER },
  OwnershipTransferred: { accountId: ACCOUNT, from: OWNER, to: MEMBER },
  BillingAccountCreated: { accountId: ACCOUNT, billingAccountId: BILLING, name: 'EU billing', createdBy: OWNER },
  CustomRoleDefined: {
    accountId: ACCOUNT,
    name: 'dns-admin',
    permissions: ['dns:manage', 'dns:read'],
    definedBy: OWNER,
  },
  ImpersonatedReadRecorded: {
    accountId: ACCOUNT,
    impersonatorId: 'admin|42',
    userId: OWNER,
    route: 'GET /v1/accounts/:accountId/members',
  },
  AccessShared: {
    accessId: ACCESS,
    accountId: ACCOUNT,
    name: 'Finance team',
    type: 'delegate',
    scope: { type: 'global' },
    role: 'accountant',
    recipients: [{ invitationId: INVITATION, email: 'mike@example.com', link: LINK }],
    message: 'Welcome aboard',
    sharedBy: OWNER,
    sharedAt: '2025-03-01T10:00:00.000Z',
    expiresAt: '2025-03-04T10:00:00.000Z',
  },
  InvitationAccepted: {
    accessId: ACCESS,
    accountId: ACCOUNT,
    invitationId: INVITATION,
    email: 'mike@example.com',
    userId: MEMBER,
    role: 'accountant',
    scope: { type: 'global' },
    accessType: 'delegate',
  },
  InvitationResent: {
    accessId: ACCESS,
    accountId: ACCOUNT,
    invitationId: INVITATION,
    email: 'mike@example.com',
    link: LINK,
    expiresAt: '2025-03-07T10:00:00.000Z',
    resentBy: OWNER,
  },
  InvitationRevoked: {
    accessId: ACCESS,
    accountId: ACCOUNT,
    invitationId: INVITATION,
    email: 'mike@example.com',
    revokedBy: OWNER,
    reason: 'revoked_by_owner',
  },
  InvitationDeclined: {
    accessId: ACCESS,
    accountId: ACCOUNT,
    invitationId: INVITATION,
    email: 'mike@example.com',
    userId: MEMBER,
  },
  InvitationExpired: {
    accessId: ACCESS,
    accountId: ACCOUNT,
    invitationId: INVITATION,
    email: 'mike@example.com',
    expiredAt: '2025-03-04T10:00:00.000Z',
  },
  InvitationSettingsChanged: { accountId: ACCOUNT, expiryHours: 72, changedBy: OWNER },
  ApiTokenIssued: {
    tokenId: TOKEN,
    accountId: ACCOUNT,
    userId: MEMBER,
    email: 'mike@example.com',
    name: 'CI deploys',
    prefix: 'acc_7Gx2',
    tokenHash: HASH,
    permissions: ['servers:read'],
    scope: null,
    expiresAt: '2026-01-01T00:00:00.000Z',
    issuedVia: 'api',
  },
  ApiTokenRevoked: { tokenId: TOKEN, accountId: ACCOUNT, userId: MEMBER, reason: 'member_removed', revokedBy: OWNER },
  TokenPolicyChanged: { accountId: ACCOUNT, maxLifetimeDays: 90, changedBy: OWNER },
  NotificationSent: {
    notificationId: NOTIFICATION,
    accountId: ACCOUNT,
    kind: 'invitation',
    channel: 'email',
    to: 'mike@example.com',
    causeEventId: CAUSE,
    attempt: 1,
  },
  NotificationFailed: {
    notificationId: NOTIFICATION,
    accountId: ACCOUNT,
    kind: 'invitation',
    channel: 'email',
    to: 'mike@example.com',
    causeEventId: CAUSE,
    attempt: 2,
    reason: 'smtp 451',
    willRetry: true,
  },
};
