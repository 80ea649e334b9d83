/**
 * How the console words invitations, kept apart from React so it can be tested: roles, scopes and
 * statuses as people read them, the dashboard notice of a new share, and what an invitation link
 * that cannot be used any more tells its visitor.
 */
import { ApiError } from '../api/problem';

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'revoked' | 'expired';

export type Scope = { readonly type: 'global' } | { readonly type: 'restricted'; readonly billingAccountId: string };

/** What an access grants beside its role: the permissions chosen when sharing, and the environment flag. */
export interface AccessGrant {
  /** Empty: the role's own permissions. */
  readonly permissions: readonly string[];
  readonly mayCreateEnvironments: boolean;
}

/** What an invitee is offered, in their list and on the link (never the name the sharer gave the access). */
export interface InvitationOffer extends AccessGrant {
  readonly accountId: string;
  readonly accountName: string;
  readonly inviterEmail: string | null;
  readonly role: string;
  readonly scope: Scope;
  readonly message: string | null;
  readonly expiresAt: string;
}

/** An invitation as `GET /v1/me/invitations` lists it. */
export interface MyInvitation extends InvitationOffer {
  readonly id: string;
  readonly status: InvitationStatus;
}

/** What `GET /v1/invitations/by-token/{token}` shows of a usable link. */
export interface InvitationLink extends InvitationOffer {
  readonly invitationId: string;
}

/** What accepting answers; an API-token access brings its secret, in this answer only. */
export interface InvitationAccepted {
  readonly invitationId: string;
  readonly accountId: string;
  readonly status: InvitationStatus;
  readonly position: number;
  readonly apiToken?: { readonly id: string; readonly token: string; readonly prefix: string };
}

export interface InvitationChanged {
  readonly invitationId: string;
  readonly accountId: string;
  readonly status: InvitationStatus;
  readonly position: number;
}

const ROLE_LABELS: Record<string, string> = {
  owner: 'Owner',
  administrator: 'Administrator',
  accountant: 'Accountant',
  'read-only': 'Read-only',
};

/** A built-in role's label; a custom role is shown by its own name. */
export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

/** The scope as the invitee can read it (they cannot see the billing account's name before joining). */
export function scopeLabel(scope: Scope): string {
  return scope.type === 'global' ? 'All billing accounts' : 'One billing account only';
}

/** The permissions granted, as a list to read; the role's own when the sharer chose none. */
export function permissionsLabel(grant: AccessGrant): string {
  return grant.permissions.length === 0 ? 'Those of the role' : grant.permissions.join(', ');
}

/** What a grant adds to its role, in one short line for a table cell; "" when it adds nothing. */
export function grantSummary(grant: AccessGrant): string {
  const parts = [
    ...(grant.permissions.length === 0 ? [] : [`only ${grant.permissions.join(', ')}`]),
    ...(grant.mayCreateEnvironments ? ['may create environments'] : []),
  ];
  return parts.join('; ');
}

const STATUS_LABELS: Record<InvitationStatus, string> = {
  pending: 'Waiting for your answer',
  accepted: 'Accepted',
  declined: 'Declined',
  revoked: 'Withdrawn by the owner',
  expired: 'Expired',
};

export function invitationStatusLabel(status: InvitationStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** Who invited, in a sentence: the inviter's e-mail, or the owner when the API does not know it. */
export function inviterOf(invitation: { readonly inviterEmail: string | null }): string {
  return invitation.inviterEmail ?? 'The account owner';
}

/** The account's name, or a stand-in when the read model does not know it yet (it answers ""). */
export function accountNameOf(invitation: { readonly accountName: string }): string {
  return invitation.accountName.trim() || 'an account';
}

/** The dashboard notice of a new share: "<inviter> shared access to <account> with you (<role>)". */
export function shareNotice(invitation: MyInvitation): string {
  return `${inviterOf(invitation)} shared access to ${accountNameOf(invitation)} with you (${roleLabel(invitation.role)})`;
}

/** Pending invitations first (they want an answer), then the past ones, each newest first as listed. */
export function splitInvitations(invitations: readonly MyInvitation[]): {
  pending: MyInvitation[];
  past: MyInvitation[];
} {
  return {
    pending: invitations.filter((i) => i.status === 'pending'),
    past: invitations.filter((i) => i.status !== 'pending'),
  };
}

/** A date and time in the reader's locale and time zone (`locale`/`timeZone` for tests). */
export function formatWhen(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
}

/** What the invitation page says when it cannot offer the invitation, and what to do about it. */
export interface LinkNotice {
  readonly kind: 'unusable' | 'other-email' | 'account-closed' | 'unverified' | 'offline' | 'failed';
  readonly title: string;
  readonly paragraphs: readonly string[];
  /** Signing in with another address is the way out (offer "Sign out"). */
  readonly offerSignOut: boolean;
}

/**
 * The informational page for a link the API will not show or accept. The API gives every unusable
 * link one answer (404 `invitation.link_invalid`): a link is no oracle, so an unknown token, an
 * expired link, one replaced by a resend, a revoked, declined or used one all read the same here,
 * and the page names each possible cause with its way forward instead of guessing.
 */
export function linkNoticeOf(error: unknown, signedInAs: string | null, inviter?: string | null): LinkNotice {
  const problem = error instanceof ApiError ? error.problem : null;
  const askInviter = inviter
    ? `Ask ${inviter} to send you a new invitation.`
    : 'Ask the person who invited you (an owner of the account) to send you a new invitation: they can resend it from the account’s Access sharing page.';
  if (!problem) {
    return {
      kind: 'failed',
      title: 'The invitation could not be shown',
      paragraphs: ['Something went wrong while opening it. Reload the page to try again.'],
      offerSignOut: false,
    };
  }
  if (problem.status === 0) {
    return {
      kind: 'offline',
      title: 'Accord could not be reached',
      paragraphs: ['Check your connection and reload the page. Opening the invitation does not use it up.'],
      offerSignOut: false,
    };
  }
  // Declining by id answers someone else's invitation like a missing one (`invitation.not_found`);
  // on this page the link was just shown, so it exists: it is addressed to another e-mail.
  if (problem.code === 'invitation.other_email' || problem.code === 'invitation.not_found') {
    return {
      kind: 'other-email',
      title: 'This invitation is for another e-mail address',
      paragraphs: [
        problem.detail,
        signedInAs
          ? `You are signed in as ${signedInAs}. Sign out, then open the link again and sign in with the address the invitation e-mail was sent to.`
          : 'Sign in with the address the invitation e-mail was sent to.',
      ],
      offerSignOut: signedInAs !== null,
    };
  }
  if (problem.code === 'email.unverified') {
    return {
      kind: 'unverified',
      title: 'Verify your e-mail address first',
      paragraphs: [problem.detail, 'Invitations are accepted only by someone whose address is verified.'],
      offerSignOut: false,
    };
  }
  if (problem.status === 410 || problem.code === 'account.closed') {
    return {
      kind: 'account-closed',
      title: 'This account was closed',
      paragraphs: [problem.detail, 'Its owner closed it, so its invitations no longer lead anywhere.'],
      offerSignOut: false,
    };
  }
  if (problem.status === 409) {
    return {
      kind: 'unusable',
      title: 'This invitation can no longer be accepted',
      paragraphs: [problem.detail, askInviter],
      offerSignOut: false,
    };
  }
  if (problem.status === 404 || problem.status === 400) {
    return {
      kind: 'unusable',
      title: 'This invitation link can no longer be used',
      paragraphs: [
        'Invitation links work for a limited time (3 days unless the account says otherwise) and only once. ' +
          'This one may have expired, been replaced by a newer invitation e-mail (only the newest link works), ' +
          'been withdrawn by the owner, or already been accepted or declined.',
        askInviter,
        signedInAs
          ? 'If you accepted it already, the account is in your list under Shared with me.'
          : 'If you accepted it already, sign in: the account is in your list under Shared with me.',
      ],
      offerSignOut: false,
    };
  }
  return {
    kind: 'failed',
    title: 'The invitation could not be completed',
    paragraphs: [problem.detail],
    offerSignOut: false,
  };
}
