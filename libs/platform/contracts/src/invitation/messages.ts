import type { AccessType, InvitationStatus, Person, Role, Scope } from '../model';
import type { CommandResult } from '../shared/requests';
import type { PagePayload } from '../paging';

export interface ShareAccessPayload {
  readonly accountId: string;
  readonly name: string;
  readonly type: AccessType;
  readonly scope: Scope;
  readonly role: Role;
  readonly recipients: readonly string[];
  readonly message?: string;
  /** INV-26: permissions the recipients join with beside the role (validated as a PATCH of a member). */
  readonly permissions?: readonly string[];
  /** AUTHZ-16: recipients may create environments. */
  readonly mayCreateEnvironments?: boolean;
  /** INV-29: when the access ends (ISO-8601; after now, at most one year ahead); absent: never. */
  readonly accessExpiresAt?: string;
}

/** INV-27: more people for an existing access of the account. */
export interface AddRecipientsPayload {
  readonly accountId: string;
  readonly accessId: string;
  readonly recipients: readonly string[];
}

/** INV-28: the sharer's new name for their access. */
export interface RenameAccessPayload {
  readonly accountId: string;
  readonly accessId: string;
  readonly name: string;
}

export interface AccessRenamedResult extends CommandResult {
  readonly id: string;
  readonly name: string;
}

/** INV-28: the access is revoked (its invitations with it; its members are removed by reaction). */
export interface AccessRevokedResult extends CommandResult {
  readonly id: string;
  readonly status: AccessStatus;
}

/** An access is live until revoked (INV-28) or past its end date (INV-29). */
export type AccessStatus = 'active' | 'revoked' | 'expired';
export const ACCESS_STATUSES: readonly AccessStatus[] = ['active', 'revoked', 'expired'];

export interface AccessSharedResult extends CommandResult {
  readonly id: string;
  readonly invitations: readonly { readonly id: string; readonly email: string; readonly status: InvitationStatus }[];
  readonly expiresAt: string;
}

export interface AcceptInvitationPayload {
  readonly invitationId: string;
  readonly person: Person;
}

export interface InvitationAcceptedResult extends CommandResult {
  readonly invitationId: string;
  readonly accountId: string;
  readonly status: InvitationStatus;
  /**
   * Set on every accept, first or repeated, by the person who accepted an access of type
   * `api_token` (INV-19, SEC-10e): the gateway then issues the recipient an API token for `invitationId`
   * with this scope and returns its secret. A retried accept says it again, so a failure between
   * accept and issue never loses the token; the token service keeps one live token per invitation.
   */
  readonly issueApiToken?: { readonly accessId: string; readonly invitationId: string; readonly scope: Scope };
  /** The API token issued for an `api_token` access: its secret, shown this once. */
  readonly apiToken?: { readonly id: string; readonly token: string; readonly prefix: string };
}

/** The e-mailed link's token; only its SHA-256 is ever stored. */
export interface AcceptByTokenPayload {
  readonly token: string;
  readonly person: Person;
}

export interface DeclineInvitationPayload {
  readonly invitationId: string;
  readonly person: Person;
}

/** Owner actions on one invitation of their account. */
export interface InvitationAdminPayload {
  readonly accountId: string;
  readonly invitationId: string;
}

export interface InvitationChangedResult extends CommandResult {
  readonly invitationId: string;
  readonly accountId: string;
  readonly status: InvitationStatus;
  readonly expiresAt?: string;
}

export interface ChangeInvitationSettingsPayload {
  readonly accountId: string;
  readonly expiryHours: number;
}

export interface InvitationSettingsResult extends CommandResult {
  readonly accountId: string;
  readonly expiryHours: number;
}

/**
 * Why a recipient who had accepted no longer holds the access (INV-24): removed by an owner, left,
 * the access was revoked, the access's time ran out, the account was closed.
 */
export const RECIPIENT_END_REASONS = ['removed', 'left', 'access_revoked', 'expired', 'account_closed'] as const;
export type RecipientEndReason = (typeof RECIPIENT_END_REASONS)[number];

/** A recipient row's status for the sharer: the invitation's, or `ended` once an accepted one ended (INV-24). */
export type RecipientStatus = InvitationStatus | 'ended';

/** One recipient of an access, as the sharer sees it (INV-5, INV-24). */
export interface AccessRecipientView {
  readonly email: string;
  readonly invitationId: string;
  readonly status: RecipientStatus;
  readonly expiresAt: string;
  /** When what the recipient gained by accepting ended; present only when `status` is `ended`. */
  readonly endedAt?: string;
  /** Why it ended; present only when `status` is `ended`. */
  readonly endedReason?: RecipientEndReason;
}

/** An access as the invitation service knows it: `name` included; the gateway shows it to the sharer only (INV-4). */
/**
 * What an access grants beside its role (INV-26, AUTHZ-16): the permissions chosen at sharing (none:
 * the role's) and whether its members may create environments. Shown to its owners and recipients.
 */
export interface AccessGrantView {
  readonly permissions: readonly string[];
  readonly mayCreateEnvironments: boolean;
}

export interface AccessView extends AccessGrantView {
  readonly id: string;
  readonly name: string;
  readonly type: AccessType;
  readonly scope: Scope;
  readonly role: Role;
  readonly sharedBy: string;
  readonly sharedAt: string;
  readonly expiresAt: string;
  readonly recipients: readonly AccessRecipientView[];
  /** INV-28, INV-29: `active` until revoked or past its end date. */
  readonly status: AccessStatus;
  /** INV-29: when the access ends (its members are removed then); null: never. */
  readonly accessExpiresAt: string | null;
  /** When it was revoked or ran out; null while active. */
  readonly endedAt: string | null;
}

/** What an invitee is offered (INV-25), in their list and on the link: never the access name (INV-4). */
export interface InvitationOfferView extends AccessGrantView {
  readonly accountId: string;
  /** The account's name; empty if the read model does not know it. */
  readonly accountName: string;
  /** The sharer's e-mail address when they shared; null if unknown. */
  readonly inviterEmail: string | null;
  readonly role: Role;
  readonly scope: Scope;
  readonly message: string | null;
  readonly expiresAt: string;
}

/** One of a recipient's invitations, with where it stands. */
export interface MyInvitationView extends InvitationOfferView {
  readonly id: string;
  readonly status: InvitationStatus;
}

export interface InvitationByTokenPayload {
  readonly token: string;
}

/** What the link shows before anyone accepts (viewing never consumes it). */
export interface InvitationLinkView extends InvitationOfferView {
  readonly invitationId: string;
}

/** The invitations sent to a verified e-mail address, for its person to accept or decline; newest first. */
export interface InvitationsForEmailPayload extends PagePayload {
  readonly email: string;
  /** Only invitations with this status. */
  readonly status?: InvitationStatus;
}

/** The account's pending invitations (people invited, not yet members), a page at a time. */
export interface InviteesOfAccountPayload extends PagePayload {
  readonly accountId: string;
  /** Only invitations for this role. */
  readonly role?: string;
  /** Only invitations whose e-mail starts with this, in any case. */
  readonly q?: string;
}

/** Someone invited to the account who has not answered yet, as the member list shows them. */
export interface InviteeView {
  readonly email: string;
  readonly role: Role;
  readonly scope: Scope;
  /** A pending invitation's invitee is `invited`. */
  readonly status: 'invited';
  readonly invitationId: string;
  readonly expiresAt: string;
}

/** One access of the account (`notFound` for an access of another account). */
export interface AccessRefPayload {
  readonly accountId: string;
  readonly accessId: string;
}

/** The account's invitation settings: how long its invitation links stay valid. */
export interface InvitationSettingsView {
  readonly accountId: string;
  readonly expiryHours: number;
}
