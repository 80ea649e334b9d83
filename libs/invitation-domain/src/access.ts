import {
  addHours,
  conflict,
  exhaustive,
  forbidden,
  invalid,
  isAtOrBefore,
  normalizeEmail,
  notFound,
  rateLimited,
  sameEmail,
  secondsBetween,
  type AccessType,
  type Decider,
  type InvitationEvent,
  type InvitationLink,
  type InvitationRecipient,
  type InvitationRef,
  type InvitationRevocationReason,
  type InvitationStatus,
  type Person,
  type Role,
  type Scope,
} from '@accord/contracts';

// The Access aggregate of one account (stream `access-<accountId>`): every Access shared from the
// account (seed 000) and every Invitation, one per recipient. Rules that span invitations — one
// pending invitation per e-mail, the daily quota — are decided here under optimistic concurrency,
// so two simultaneous shares can never both slip through.

/** Seed 004: "Invitational link to the project is valid for 3 days." */
export const DEFAULT_EXPIRY_HOURS = 72;
/** Issue 3: an account may set link validity between 1 hour and 30 days. */
export const MIN_EXPIRY_HOURS = 1;
export const MAX_EXPIRY_HOURS = 30 * 24;
export const MAX_RECIPIENTS = 50;
/** Seed 002: the invitation message. */
export const MAX_MESSAGE_LENGTH = 1000;
/** Issue 3: invitations created per account per rolling day. */
export const DEFAULT_DAILY_INVITATION_LIMIT = 500;

// ---- commands ----

export interface ShareAccess {
  readonly type: 'ShareAccess';
  readonly data: {
    readonly accessId: string;
    readonly accountId: string;
    readonly name: string;
    readonly accessType: AccessType;
    readonly scope: Scope;
    readonly role: Role;
    readonly recipients: readonly InvitationRecipient[];
    readonly message: string | null;
    readonly sharedBy: string;
    /** E-mails of the account's current members (inviting a member is refused). */
    readonly memberEmails: readonly string[];
    readonly dailyLimit: number;
    readonly now: string;
  };
}

export interface AcceptInvitation {
  readonly type: 'AcceptInvitation';
  readonly data: { readonly invitationId: string; readonly person: Person; readonly now: string };
}

export interface AcceptByToken {
  readonly type: 'AcceptByToken';
  readonly data: { readonly tokenHash: string; readonly person: Person; readonly now: string };
}

export interface DeclineInvitation {
  readonly type: 'DeclineInvitation';
  readonly data: { readonly invitationId: string; readonly person: Person; readonly now: string };
}

export interface ResendInvitation {
  readonly type: 'ResendInvitation';
  readonly data: { readonly invitationId: string; readonly link: InvitationLink; readonly resentBy: string; readonly now: string };
}

export interface RevokeInvitation {
  readonly type: 'RevokeInvitation';
  readonly data: { readonly invitationId: string; readonly revokedBy: string; readonly now: string };
}

/** Reaction to MemberRemoved: what a removed member sent must not live on (GitLab #26801). */
export interface RevokeInvitationsOfInviter {
  readonly type: 'RevokeInvitationsOfInviter';
  readonly data: { readonly inviterId: string; readonly revokedBy: string; readonly now: string };
}

/** Raised by the expiry scheduler; harmless when the invitation is no longer pending. */
export interface ExpireInvitation {
  readonly type: 'ExpireInvitation';
  readonly data: { readonly invitationId: string; readonly now: string };
}

export interface ChangeInvitationSettings {
  readonly type: 'ChangeInvitationSettings';
  readonly data: { readonly accountId: string; readonly expiryHours: number; readonly changedBy: string };
}

export type AccessCommand =
  | ShareAccess
  | AcceptInvitation
  | AcceptByToken
  | DeclineInvitation
  | ResendInvitation
  | RevokeInvitation
  | RevokeInvitationsOfInviter
  | ExpireInvitation
  | ChangeInvitationSettings;

// ---- state ----

export interface Access {
  readonly accessId: string;
  readonly type: AccessType;
  readonly role: Role;
  readonly scope: Scope;
}

export interface Invitation {
  readonly invitationId: string;
  readonly accessId: string;
  readonly email: string;
  readonly status: InvitationStatus;
  readonly sharedBy: string;
  readonly expiresAt: string;
  /** SHA-256 of the current link's token; a resend replaces it, so the old link dies. */
  readonly tokenHash: string;
  readonly acceptedBy: string | null;
  readonly declinedBy: string | null;
}

export interface AccessState {
  readonly accountId: string | null;
  readonly expiryHours: number;
  readonly accesses: Readonly<Record<string, Access>>;
  readonly invitations: Readonly<Record<string, Invitation>>;
  /** Creation times of recent invitations, for the rolling daily quota. */
  readonly createdAt: readonly string[];
}

export const initialAccessState = (): AccessState => ({
  accountId: null,
  expiryHours: DEFAULT_EXPIRY_HOURS,
  accesses: {},
  invitations: {},
  createdAt: [],
});

// ---- decide ----

export function decideAccess(command: AccessCommand, state: AccessState): InvitationEvent[] {
  switch (command.type) {
    case 'ShareAccess':
      return share(command.data, state);
    case 'AcceptInvitation':
      return accept(addressedTo(state, command.data.invitationId, command.data.person), command.data.person, command.data.now, state);
    case 'AcceptByToken':
      return accept(byToken(state, command.data), command.data.person, command.data.now, state);
    case 'DeclineInvitation':
      return decline(command.data, state);
    case 'ResendInvitation':
      return resend(command.data, state);
    case 'RevokeInvitation':
      return revoke(existing(state, command.data.invitationId), command.data.revokedBy, 'revoked_by_owner', state);
    case 'RevokeInvitationsOfInviter':
      return Object.values(state.invitations)
        .filter((i) => i.sharedBy === command.data.inviterId && i.status === 'pending')
        .flatMap((i) => revoke(i, command.data.revokedBy, 'inviter_removed', state));
    case 'ExpireInvitation':
      return expire(command.data, state);
    case 'ChangeInvitationSettings':
      return changeSettings(command.data);
    default:
      return exhaustive(command);
  }
}

function share(data: ShareAccess['data'], state: AccessState): InvitationEvent[] {
  if (state.accesses[data.accessId]) throw conflict('access.exists', 'This access already exists.');
  const name = data.name.trim();
  if (name.length === 0 || name.length > 100) {
    throw invalid('name', 'access.name_invalid', 'An access name has 1 to 100 characters.');
  }
  if (data.recipients.length === 0 || data.recipients.length > MAX_RECIPIENTS) {
    throw invalid('recipients', 'access.recipients_count', `An access has 1 to ${MAX_RECIPIENTS} recipients.`);
  }
  const emails = data.recipients.map((r) => normalizeEmail(r.email));
  if (new Set(emails).size !== emails.length) {
    throw invalid('recipients', 'access.recipients_duplicate', 'Each recipient e-mail may appear once.');
  }
  if (data.message !== null && data.message.length > MAX_MESSAGE_LENGTH) {
    throw invalid('message', 'access.message_too_long', `A message has at most ${MAX_MESSAGE_LENGTH} characters.`);
  }
  const members = new Set(data.memberEmails.map(normalizeEmail));
  const member = data.recipients.find((r) => members.has(normalizeEmail(r.email)));
  if (member) throw conflict('invitation.already_member', `${member.email.trim()} is already a member of this account.`);
  const pending = Object.values(state.invitations).find((i) => i.status === 'pending' && emails.includes(normalizeEmail(i.email)));
  if (pending) {
    throw conflict('invitation.pending_exists', `${pending.email} already has a pending invitation to this account; resend it instead.`);
  }
  const recent = createdWithinDay(state, data.now);
  if (recent.length + data.recipients.length > data.dailyLimit) {
    const oldest = recent[0] ?? data.now;
    throw rateLimited('invitation.daily_limit', `At most ${data.dailyLimit} invitations per account per day.`, secondsBetween(data.now, addHours(oldest, 24)));
  }
  return [
    {
      type: 'AccessShared',
      data: {
        accessId: data.accessId,
        accountId: data.accountId,
        name,
        type: data.accessType,
        scope: data.scope,
        role: data.role,
        recipients: data.recipients.map((r) => ({ ...r, email: r.email.trim() })),
        message: data.message,
        sharedBy: data.sharedBy,
        expiresAt: addHours(data.now, state.expiryHours),
      },
    },
  ];
}

/** The invitation `invitationId`, if it exists and is addressed to `person`; otherwise not found. */
function addressedTo(state: AccessState, invitationId: string, person: Person): Invitation {
  const invitation = state.invitations[invitationId];
  // Someone else's invitation answers exactly like a missing one: ids are not an oracle.
  if (!invitation || !sameEmail(invitation.email, person.email)) {
    throw notFound('invitation.not_found', 'No such invitation for you.');
  }
  return invitation;
}

/**
 * The pending, unexpired invitation whose CURRENT link has this token hash. Unknown, replaced
 * (resent), revoked, expired or used links all get one generic answer: a link is no oracle.
 */
function byToken(state: AccessState, data: AcceptByToken['data']): Invitation {
  const invitation = Object.values(state.invitations).find((i) => i.tokenHash === data.tokenHash);
  const usable = invitation && (invitation.status === 'pending' || invitation.acceptedBy === data.person.userId);
  if (!invitation || !usable || (invitation.status === 'pending' && isAtOrBefore(invitation.expiresAt, data.now))) {
    throw notFound('invitation.link_invalid', 'This invitation link is not valid. Ask the account owner to send a new one.');
  }
  if (!sameEmail(invitation.email, data.person.email)) {
    throw forbidden('invitation.other_email', 'This invitation was sent to another e-mail address: sign in with that address to accept it.');
  }
  return invitation;
}

function accept(invitation: Invitation, person: Person, now: string, state: AccessState): InvitationEvent[] {
  if (!person.emailVerified) {
    throw forbidden('email.unverified', 'Verify your e-mail address before accepting an invitation sent to it.');
  }
  if (invitation.status === 'accepted' && invitation.acceptedBy === person.userId) return [];
  if (invitation.status !== 'pending') throw conflict('invitation.not_pending', `This invitation is ${invitation.status}.`);
  if (isAtOrBefore(invitation.expiresAt, now)) {
    throw conflict('invitation.expired', 'This invitation has expired; ask for a new one.');
  }
  const access = state.accesses[invitation.accessId]!;
  return [
    {
      type: 'InvitationAccepted',
      data: { ...ref(invitation, state), userId: person.userId, role: access.role, scope: access.scope, accessType: access.type },
    },
  ];
}

function decline(data: DeclineInvitation['data'], state: AccessState): InvitationEvent[] {
  const invitation = addressedTo(state, data.invitationId, data.person);
  if (invitation.status === 'declined') return [];
  if (invitation.status !== 'pending') throw conflict('invitation.not_pending', `This invitation is ${invitation.status}.`);
  return [{ type: 'InvitationDeclined', data: { ...ref(invitation, state), userId: data.person.userId } }];
}

function resend(data: ResendInvitation['data'], state: AccessState): InvitationEvent[] {
  const invitation = existing(state, data.invitationId);
  // An expired invitation may be sent again (a fresh link and expiry); a settled one may not.
  if (invitation.status !== 'pending' && invitation.status !== 'expired') {
    throw conflict('invitation.not_pending', `This invitation is ${invitation.status}; share access again instead.`);
  }
  return [
    {
      type: 'InvitationResent',
      data: { ...ref(invitation, state), link: data.link, expiresAt: addHours(data.now, state.expiryHours), resentBy: data.resentBy },
    },
  ];
}

function revoke(invitation: Invitation, revokedBy: string, reason: InvitationRevocationReason, state: AccessState): InvitationEvent[] {
  if (invitation.status === 'revoked') return [];
  if (invitation.status !== 'pending' && invitation.status !== 'expired') {
    throw conflict('invitation.not_pending', `This invitation is ${invitation.status}.`);
  }
  return [{ type: 'InvitationRevoked', data: { ...ref(invitation, state), revokedBy, reason } }];
}

function expire(data: ExpireInvitation['data'], state: AccessState): InvitationEvent[] {
  const invitation = state.invitations[data.invitationId];
  if (!invitation || invitation.status !== 'pending' || !isAtOrBefore(invitation.expiresAt, data.now)) return [];
  return [{ type: 'InvitationExpired', data: { ...ref(invitation, state), expiredAt: invitation.expiresAt } }];
}

function changeSettings(data: ChangeInvitationSettings['data']): InvitationEvent[] {
  if (!Number.isInteger(data.expiryHours) || data.expiryHours < MIN_EXPIRY_HOURS || data.expiryHours > MAX_EXPIRY_HOURS) {
    throw invalid('expiryHours', 'invitation.expiry_out_of_range', `Invitation links are valid for 1 to ${MAX_EXPIRY_HOURS} hours (30 days).`);
  }
  return [{ type: 'InvitationSettingsChanged', data }];
}

function existing(state: AccessState, invitationId: string): Invitation {
  const invitation = state.invitations[invitationId];
  if (!invitation) throw notFound('invitation.not_found', 'No such invitation in this account.');
  return invitation;
}

function createdWithinDay(state: AccessState, now: string): string[] {
  const dayAgo = addHours(now, -24);
  return state.createdAt.filter((at) => !isAtOrBefore(at, dayAgo));
}

/** What every invitation event repeats about its invitation. */
function ref(invitation: Invitation, state: AccessState): InvitationRef {
  return { accessId: invitation.accessId, accountId: state.accountId ?? '', invitationId: invitation.invitationId, email: invitation.email };
}

// ---- evolve ----

export function evolveAccess(state: AccessState, event: InvitationEvent): AccessState {
  switch (event.type) {
    case 'AccessShared': {
      const d = event.data;
      const invitations = { ...state.invitations };
      for (const r of d.recipients) {
        invitations[r.invitationId] = {
          invitationId: r.invitationId,
          accessId: d.accessId,
          email: r.email,
          status: 'pending',
          sharedBy: d.sharedBy,
          expiresAt: d.expiresAt,
          tokenHash: r.link.tokenHash,
          acceptedBy: null,
          declinedBy: null,
        };
      }
      // The share was decided at expiresAt − the validity in force (the same state decided it).
      // Only the last day's creations matter to the quota, so older ones are dropped.
      const created = addHours(d.expiresAt, -state.expiryHours);
      const createdAt = [...state.createdAt.filter((at) => !isAtOrBefore(at, addHours(created, -24))), ...d.recipients.map(() => created)];
      return {
        ...state,
        accountId: d.accountId,
        accesses: { ...state.accesses, [d.accessId]: { accessId: d.accessId, type: d.type, role: d.role, scope: d.scope } },
        invitations,
        createdAt,
      };
    }
    case 'InvitationAccepted':
      return update(state, event.data.invitationId, { status: 'accepted', acceptedBy: event.data.userId });
    case 'InvitationDeclined':
      return update(state, event.data.invitationId, { status: 'declined', declinedBy: event.data.userId });
    case 'InvitationResent':
      return update(state, event.data.invitationId, { status: 'pending', expiresAt: event.data.expiresAt, tokenHash: event.data.link.tokenHash });
    case 'InvitationRevoked':
      return update(state, event.data.invitationId, { status: 'revoked' });
    case 'InvitationExpired':
      return update(state, event.data.invitationId, { status: 'expired' });
    case 'InvitationSettingsChanged':
      return { ...state, accountId: event.data.accountId, expiryHours: event.data.expiryHours };
    default:
      return exhaustive(event);
  }
}

function update(state: AccessState, invitationId: string, change: Partial<Invitation>): AccessState {
  const current = state.invitations[invitationId];
  if (!current) return state;
  return { ...state, invitations: { ...state.invitations, [invitationId]: { ...current, ...change } } };
}

export const accessDecider: Decider<AccessCommand, InvitationEvent, AccessState> = {
  decide: decideAccess,
  evolve: evolveAccess,
  initialState: initialAccessState,
};
