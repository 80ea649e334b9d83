import type { AccessType, Role, Scope } from './model';

// Public event data, by bounded context. Names are past tense; a breaking change gets a new
// schemaVersion and an upcaster — these shapes are never edited incompatibly.

// ---- membership context (stream `account-<accountId>`) ----

export interface AccountCreatedData {
  readonly accountId: string;
  readonly name: string;
  /** The creator: the one root owner (seed 002), always full permissions, never removable. */
  readonly rootOwner: { readonly userId: string; readonly email: string };
}

export interface MemberJoinedData {
  readonly accountId: string;
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly scope: Scope;
  readonly accessId: string;
  readonly invitationId: string;
}

export type MembershipEvent =
  | { readonly type: 'AccountCreated'; readonly data: AccountCreatedData }
  | { readonly type: 'MemberJoined'; readonly data: MemberJoinedData };

// ---- invitation context (stream `access-<accessId>`: an Access and its Invitations) ----

export interface InvitationRecipient {
  readonly invitationId: string;
  /** As typed by the sharer (trimmed); compared with `normalizeEmail`. */
  readonly email: string;
}

export interface AccessSharedData {
  readonly accessId: string;
  readonly accountId: string;
  /** Seen by the sharer only (seed 000 "Access name"). */
  readonly name: string;
  readonly type: AccessType;
  readonly scope: Scope;
  readonly role: Role;
  readonly recipients: readonly InvitationRecipient[];
  readonly message: string | null;
  readonly sharedBy: string;
  /** ISO-8601 UTC: when every invitation of this share stops being acceptable. */
  readonly expiresAt: string;
}

export interface InvitationAcceptedData {
  readonly accessId: string;
  readonly accountId: string;
  readonly invitationId: string;
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly scope: Scope;
}

export type InvitationEvent =
  | { readonly type: 'AccessShared'; readonly data: AccessSharedData }
  | { readonly type: 'InvitationAccepted'; readonly data: InvitationAcceptedData };

export type AccordEvent = MembershipEvent | InvitationEvent;
export type AccordEventType = AccordEvent['type'];

/** Which bounded context owns an event type: the middle part of its NATS subject. */
export const EVENT_CONTEXT: Readonly<Record<AccordEventType, 'membership' | 'invitation'>> = {
  AccountCreated: 'membership',
  MemberJoined: 'membership',
  AccessShared: 'invitation',
  InvitationAccepted: 'invitation',
};

/** Stream naming `<category>-<id>` (DESIGN.md). */
export const streams = {
  account: (accountId: string) => `account-${accountId}`,
  access: (accessId: string) => `access-${accessId}`,
  token: (tokenId: string) => `token-${tokenId}`,
} as const;

/** The account an event belongs to, for the envelope's `accountId`. */
export function accountIdOf(event: AccordEvent): string {
  return event.data.accountId;
}
