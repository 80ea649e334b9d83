import type { AccordEnvelope, MemberRemovalReason, NotificationKind } from '@accord/contracts';

/** What a message says; rendered at send time (the link is derived then, never stored). */
export interface MailContext {
  readonly accountName: string;
  readonly inviterEmail?: string | null;
  readonly role?: string;
  readonly previousRole?: string;
  readonly memberEmail?: string;
  readonly message?: string | null;
  readonly expiresAt?: string;
  readonly link?: string;
  /** MEM-23: the removal is the account's closing (the mail says so, not "you were removed"). */
  readonly accountClosed?: boolean;
  /** INV-28, INV-29: the removal is the end of the access the member joined through: why it ended. */
  readonly accessEnded?: 'revoked' | 'expired';
}

/** The events that send e-mail. */
export const MAILED_EVENT_TYPES = [
  'AccessShared',
  'AccessRecipientsAdded',
  'InvitationResent',
  'MemberRemoved',
  'MemberLeft',
  'RoleChanged',
] as const;
export type MailedEvent = AccordEnvelope<(typeof MAILED_EVENT_TYPES)[number]>;

/** One e-mail to queue, WITHOUT any secret: an invitation's link is re-derived from `linkNonce` at send time. */
export interface Mail {
  readonly recipient: string;
  readonly kind: NotificationKind;
  readonly context: MailContext;
  readonly linkNonce: string | null;
}

/** Which directory facts an event's e-mails quote, so the runner reads only those. */
export interface DirectoryLookups {
  /** Whose e-mail address to quote as the inviter (the sharer or the resender). */
  readonly inviterId: string | null;
  /** Whose role to quote (a resend does not repeat it). */
  readonly roleOfInvitation: string | null;
  /** The owners' addresses: who hears that a member left. */
  readonly owners: boolean;
}

/** The account's directory as of the event (names and owners of that moment). */
export interface MailFacts {
  readonly accountName: string;
  readonly inviterEmail: string | null;
  readonly invitationRole: string | null;
  readonly ownerEmails: readonly string[];
}

export interface MailDecision {
  readonly mails: readonly Mail[];
  /** Addressees named without a usable address: nothing can be sent to them (the runner logs it). */
  readonly unaddressed: number;
}

export function directoryLookups(event: MailedEvent): DirectoryLookups {
  switch (event.type) {
    case 'AccessShared':
      return { inviterId: event.data.sharedBy, roleOfInvitation: null, owners: false };
    case 'AccessRecipientsAdded':
      return { inviterId: event.data.addedBy, roleOfInvitation: null, owners: false };
    case 'InvitationResent':
      return { inviterId: event.data.resentBy, roleOfInvitation: event.data.invitationId, owners: false };
    case 'MemberLeft':
      return { inviterId: null, roleOfInvitation: null, owners: true };
    case 'MemberRemoved':
    case 'RoleChanged':
      return { inviterId: null, roleOfInvitation: null, owners: false };
  }
}

/**
 * Who is told what: each recipient of a shared access gets an invitation (with its link); the
 * recipient of a resend gets the new link; a removed member hears they were removed; the owners
 * hear that a member left; a member whose role changed hears the old and the new role. An
 * addressee without an address (no `@`) gets nothing, and retrying could not change that.
 */
export function mailsFor(event: MailedEvent, facts: MailFacts): MailDecision {
  const accountName = facts.accountName;
  switch (event.type) {
    case 'AccessShared': {
      const { role, message, expiresAt } = event.data;
      const context: MailContext = { accountName, inviterEmail: facts.inviterEmail, role, message, expiresAt };
      // Defensive on data a newer or buggy writer might have stored: a recipient without an address is skipped, not
      // fatal.
      const recipients = event.data.recipients ?? [];
      const mails = recipients.flatMap((r) =>
        isMailable(r?.email)
          ? [{ recipient: r.email, kind: 'invitation' as const, context, linkNonce: r.link.nonce }]
          : [],
      );
      return { mails, unaddressed: recipients.length - mails.length };
    }
    case 'AccessRecipientsAdded': {
      // INV-27: people added to an access are invited as a share's recipients are (NOT-1), by whoever added them.
      const { role, expiresAt } = event.data;
      const context: MailContext = { accountName, inviterEmail: facts.inviterEmail, role, message: null, expiresAt };
      const recipients = event.data.recipients ?? [];
      const mails = recipients.flatMap((r) =>
        isMailable(r?.email)
          ? [{ recipient: r.email, kind: 'invitation' as const, context, linkNonce: r.link.nonce }]
          : [],
      );
      return { mails, unaddressed: recipients.length - mails.length };
    }
    case 'InvitationResent': {
      const { email, expiresAt, link } = event.data;
      const context: MailContext = {
        accountName,
        inviterEmail: facts.inviterEmail,
        role: facts.invitationRole ?? undefined,
        expiresAt,
      };
      return one(email, 'invitation_resent', context, link.nonce);
    }
    case 'MemberRemoved':
      return one(event.data.email, 'member_removed', removalContext(accountName, event.data.reason), null);
    case 'MemberLeft': {
      const context: MailContext = { accountName, memberEmail: event.data.email };
      return {
        mails: facts.ownerEmails.map((owner) => ({ recipient: owner, kind: 'member_left', context, linkNonce: null })),
        unaddressed: 0,
      };
    }
    case 'RoleChanged':
      return one(
        event.data.email,
        'role_changed',
        { accountName, previousRole: event.data.from, role: event.data.to },
        null,
      );
  }
}

/** What a removal e-mail says about its cause (NOT-3; MEM-23; INV-28, INV-29). */
function removalContext(accountName: string, reason: MemberRemovalReason | undefined): MailContext {
  switch (reason) {
    case 'account_closed':
      return { accountName, accountClosed: true };
    case 'access_revoked':
      return { accountName, accessEnded: 'revoked' };
    case 'access_expired':
      return { accountName, accessEnded: 'expired' };
    default:
      return { accountName };
  }
}

function one(email: unknown, kind: NotificationKind, context: MailContext, linkNonce: string | null): MailDecision {
  return isMailable(email)
    ? { mails: [{ recipient: email, kind, context, linkNonce }], unaddressed: 0 }
    : { mails: [], unaddressed: 1 };
}

/** An address the mail transport can be given (the schemas check more; this is the last guard). */
function isMailable(email: unknown): email is string {
  return typeof email === 'string' && email.includes('@');
}
