import type { AccessType, InvitationStatus, Person, Role, Scope } from '../model';
import type { CommandResult } from '../shared/requests';

export interface ShareAccessPayload {
  readonly accountId: string;
  readonly name: string;
  readonly type: AccessType;
  readonly scope: Scope;
  readonly role: Role;
  readonly recipients: readonly string[];
  readonly message?: string;
}

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

export interface AccessView {
  readonly id: string;
  readonly name: string;
  readonly type: AccessType;
  readonly scope: Scope;
  readonly role: Role;
  readonly sharedBy: string;
  readonly sharedAt: string;
  readonly expiresAt: string;
  readonly recipients: readonly {
    readonly email: string;
    readonly invitationId: string;
    readonly status: InvitationStatus;
    readonly expiresAt: string;
  }[];
}

/** What a recipient sees: never the access name (INV-4). */
export interface MyInvitationView {
  readonly id: string;
  readonly accountId: string;
  readonly role: Role;
  readonly scope: Scope;
  readonly status: InvitationStatus;
  readonly message: string | null;
  readonly expiresAt: string;
}

export interface InvitationByTokenPayload {
  readonly token: string;
}

/** What the link shows before anyone accepts (viewing never consumes it). */
export interface InvitationLinkView {
  readonly invitationId: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly inviterEmail: string | null;
  readonly role: Role;
  readonly scope: Scope;
  readonly message: string | null;
  readonly expiresAt: string;
}

/** The invitations sent to a verified e-mail address, for its person to accept or decline. */
export interface InvitationsForEmailPayload {
  readonly email: string;
}
