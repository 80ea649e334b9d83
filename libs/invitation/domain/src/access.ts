import {
  LIMITS,
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
// account (INV-1, INV-2) and every Invitation, one per recipient. Rules that span invitations — one
// pending invitation per e-mail, the daily quota — are decided here under optimistic concurrency,
// so two simultaneous shares can never both slip through.

/** INV-3: a link is valid for 3 days unless the account set another validity (INV-9). */
export const DEFAULT_EXPIRY_HOURS = 72;
// Link validity bounds, recipients and message length: `LIMITS` (contracts), shared with the API.
/** INV-8: invitations created per account per rolling day, unless configured otherwise. */
export const DEFAULT_DAILY_INVITATION_LIMIT = 500;

// ---- commands ----

/**
 * What the membership service says about the acting user in this account. SEC-10b: the
 * decider checks the owner rules itself from these facts; the gateway's check is only a fast path.
 */
export interface ActorRights {
  /** False when the account does not exist or the user is not a member of it. */
  readonly member: boolean;
  readonly owner: boolean;
}

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
    readonly sharer: ActorRights;
    /** Every billing account of the account: a restricted scope must name one of them. */
    readonly billingAccountIds: readonly string[];
    /** E-mails of the account's current members (inviting a member is refused). */
    readonly memberEmails: readonly string[];
    readonly dailyLimit: number;
    readonly now: string;
  };
}

/**
 * The senders (see `Invitation.sentBy`) the membership service confirmed as owners of the account
 * just before accepting: an invitation whose sender lost the right to send it cannot be accepted,
 * even before the reaction to that loss has revoked it (SEC-7b).
 */
export type OwnersAmongSenders = ReadonlySet<string>;

export interface AcceptInvitation {
  readonly type: 'AcceptInvitation';
  readonly data: {
    readonly invitationId: string;
    readonly person: Person;
    readonly owners: OwnersAmongSenders;
    readonly now: string;
  };
}

export interface AcceptByToken {
  readonly type: 'AcceptByToken';
  readonly data: {
    readonly tokenHash: string;
    readonly person: Person;
    readonly owners: OwnersAmongSenders;
    readonly now: string;
  };
}

export interface DeclineInvitation {
  readonly type: 'DeclineInvitation';
  readonly data: { readonly invitationId: string; readonly person: Person; readonly now: string };
}

export interface ResendInvitation {
  readonly type: 'ResendInvitation';
  readonly data: {
    readonly invitationId: string;
    readonly link: InvitationLink;
    readonly resentBy: string;
    readonly resender: ActorRights;
    readonly now: string;
  };
}

export interface RevokeInvitation {
  readonly type: 'RevokeInvitation';
  readonly data: {
    readonly invitationId: string;
    readonly revokedBy: string;
    readonly revoker: ActorRights;
    readonly now: string;
  };
}

/**
 * SEC-7a: an invitation dies with its sender's right to send it (see `inviterLostRights`).
 * Revokes every unsettled invitation `inviterId` sent at or before `lostRightsAt`: what they sent
 * after regaining the right (a late or replayed reaction) stays.
 */
export interface RevokeInvitationsOfInviter {
  readonly type: 'RevokeInvitationsOfInviter';
  readonly data: {
    readonly accountId: string;
    readonly inviterId: string;
    readonly revokedBy: string;
    readonly lostRightsAt: string;
  };
}

/** Raised by the expiry scheduler; harmless when the invitation is no longer pending. */
export interface ExpireInvitation {
  readonly type: 'ExpireInvitation';
  readonly data: { readonly invitationId: string; readonly now: string };
}

export interface ChangeInvitationSettings {
  readonly type: 'ChangeInvitationSettings';
  readonly data: {
    readonly accountId: string;
    readonly expiryHours: number;
    readonly changedBy: string;
    readonly changer: ActorRights;
  };
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

/** One sending of an invitation: the share, or a resend. */
export interface Sending {
  readonly by: string;
  readonly at: string;
}

export interface Invitation {
  readonly invitationId: string;
  readonly accessId: string;
  readonly email: string;
  readonly status: InvitationStatus;
  readonly sharedBy: string;
  /**
   * Who sent it and when: the sharer, then everyone who resent it. Each of them vouched for it, so
   * it dies when ANY of them loses the right to send it (SEC-7a, SEC-7b): counting only the sharer would
   * let a resend outlive its resender; counting only the last resender would let a sharer who
   * leaves keep an invitation alive by having it resent.
   */
  readonly sentBy: readonly Sending[];
  readonly expiresAt: string;
  /** SHA-256 of the current link's token; a resend replaces it, so the old link dies. */
  readonly tokenHash: string;
  readonly acceptedBy: string | null;
  readonly declinedBy: string | null;
}

// Maps, never plain objects: ids come from outside, and `invitations['constructor']` on an object
// finds Object.prototype (SEC-1a).
export interface AccessState {
  readonly accountId: string | null;
  readonly expiryHours: number;
  readonly accesses: ReadonlyMap<string, Access>;
  readonly invitations: ReadonlyMap<string, Invitation>;
  /** Creation times of recent invitations, for the rolling daily quota. */
  readonly createdAt: readonly string[];
}

export const initialAccessState = (): AccessState => ({
  accountId: null,
  expiryHours: DEFAULT_EXPIRY_HOURS,
  accesses: new Map(),
  invitations: new Map(),
  createdAt: [],
});

/** Everyone who sent an invitation (sharer and resenders): whose rights it depends on. */
export function sendersOf(invitation: Invitation): ReadonlySet<string> {
  return new Set(invitation.sentBy.map((s) => s.by));
}

/**
 * INV-19, SEC-10e: accepting an access of type API token earns the recipient a token. What `person` is
 * owed for `invitationId`: set whenever the invitation IS accepted by this person (not only on the
 * call that accepted), so a retried accept can have a token issued that a failure lost; the token
 * service keeps one live token per invitation.
 */
export function apiTokenOwed(
  state: AccessState,
  invitationId: string,
  person: Person,
): { readonly accessId: string; readonly invitationId: string; readonly scope: Scope } | null {
  const invitation = state.invitations.get(invitationId);
  if (!invitation || invitation.status !== 'accepted' || invitation.acceptedBy !== person.userId) return null;
  if (!person.emailVerified || !sameEmail(invitation.email, person.email)) return null;
  const access = state.accesses.get(invitation.accessId);
  if (!access || access.type !== 'api_token') return null;
  return { accessId: access.accessId, invitationId, scope: access.scope };
}

// ---- decide ----

export function decideAccess(command: AccessCommand, state: AccessState): InvitationEvent[] {
  switch (command.type) {
    case 'ShareAccess':
      return share(command.data, state);
    case 'AcceptInvitation': {
      const { invitationId, person, owners, now } = command.data;
      return accept(addressedTo(state, invitationId, person), person, owners, now, state);
    }
    case 'AcceptByToken':
      return accept(byToken(state, command.data), command.data.person, command.data.owners, command.data.now, state);
    case 'DeclineInvitation':
      return decline(command.data, state);
    case 'ResendInvitation':
      return resend(command.data, state);
    case 'RevokeInvitation':
      requireOwner(command.data.revoker);
      return revoke(existing(state, command.data.invitationId), command.data.revokedBy, 'revoked_by_owner', state);
    case 'RevokeInvitationsOfInviter':
      return revokeInvitationsOfInviter(command.data, state);
    case 'ExpireInvitation':
      return expire(command.data, state);
    case 'ChangeInvitationSettings':
      return changeSettings(command.data);
    default:
      return exhaustive(command);
  }
}

/** Owners alone share access and manage invitations (INV-1, SEC-10b); a stranger learns nothing. */
function requireOwner(rights: ActorRights): void {
  if (!rights.member) throw notFound('account.not_found', 'No such account.');
  if (!rights.owner) throw forbidden('users.owner_only', 'Only owners manage the users of an account.');
}

function share(data: ShareAccess['data'], state: AccessState): InvitationEvent[] {
  requireOwner(data.sharer);
  if (state.accesses.has(data.accessId)) throw conflict('access.exists', 'This access already exists.');
  const name = data.name.trim();
  if (name.length === 0 || name.length > LIMITS.name) {
    throw invalid('name', 'access.name_invalid', `An access name has 1 to ${LIMITS.name} characters.`);
  }
  checkScope(data);
  if (data.recipients.length === 0 || data.recipients.length > LIMITS.recipients) {
    throw invalid('recipients', 'access.recipients_count', `An access has 1 to ${LIMITS.recipients} recipients.`);
  }
  const emails = data.recipients.map((r) => normalizeEmail(r.email));
  if (new Set(emails).size !== emails.length) {
    throw invalid('recipients', 'access.recipients_duplicate', 'Each recipient e-mail may appear once.');
  }
  if (data.message !== null && data.message.length > LIMITS.message) {
    throw invalid('message', 'access.message_too_long', `A message has at most ${LIMITS.message} characters.`);
  }
  const members = new Set(data.memberEmails.map(normalizeEmail));
  const member = data.recipients.find((r) => members.has(normalizeEmail(r.email)));
  if (member)
    throw conflict('invitation.already_member', `${member.email.trim()} is already a member of this account.`);
  const pending = [...state.invitations.values()].find(
    (i) => i.status === 'pending' && emails.includes(normalizeEmail(i.email)),
  );
  if (pending) {
    throw conflict(
      'invitation.pending_exists',
      `${pending.email} already has a pending invitation to this account; resend it instead.`,
    );
  }
  const recent = createdWithinDay(state, data.now);
  if (recent.length + data.recipients.length > data.dailyLimit) {
    const oldest = recent[0] ?? data.now;
    throw rateLimited(
      'invitation.daily_limit',
      `At most ${data.dailyLimit} invitations per account per day.`,
      secondsBetween(data.now, addHours(oldest, 24)),
    );
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
        sharedAt: data.now,
        expiresAt: addHours(data.now, state.expiryHours),
      },
    },
  ];
}

/** SEC-10b, INV-20: owners are always global; a restricted scope names a billing account of the account. */
function checkScope(data: ShareAccess['data']): void {
  if (data.scope.type !== 'restricted') return;
  if (data.role === 'owner') throw invalid('scope', 'access.owner_scope', 'Owners always have global scope.');
  if (!data.billingAccountIds.includes(data.scope.billingAccountId)) {
    throw invalid('scope.billingAccountId', 'billing_account.not_found', 'No such billing account in this account.');
  }
}

/** The invitation `invitationId`, if it exists and is addressed to `person`; otherwise not found. */
function addressedTo(state: AccessState, invitationId: string, person: Person): Invitation {
  const invitation = state.invitations.get(invitationId);
  // Someone else's invitation answers exactly like a missing one: ids are not an oracle.
  if (!invitation || !sameEmail(invitation.email, person.email)) {
    throw notFound('invitation.not_found', 'No such invitation for you.');
  }
  return invitation;
}

/**
 * Whether an invitation's link still works (to view it, or to accept by it): while the invitation
 * is pending and before its expiry. The one place this rule lives; the link view asks it too.
 */
export function isLinkUsable(
  invitation: { readonly status: InvitationStatus; readonly expiresAt: string },
  now: string,
): boolean {
  return invitation.status === 'pending' && !isAtOrBefore(invitation.expiresAt, now);
}

/**
 * The pending, unexpired invitation whose CURRENT link has this token hash. Unknown, replaced
 * (resent), revoked, expired or used links all get one generic answer: a link is no oracle.
 */
function byToken(state: AccessState, data: AcceptByToken['data']): Invitation {
  const invitation = [...state.invitations.values()].find((i) => i.tokenHash === data.tokenHash);
  // A retried accept by the person who accepted it still finds it (the accept is then a no-op).
  const usable = invitation && (isLinkUsable(invitation, data.now) || invitation.acceptedBy === data.person.userId);
  if (!invitation || !usable) {
    throw notFound(
      'invitation.link_invalid',
      'This invitation link is not valid. Ask the account owner to send a new one.',
    );
  }
  if (!sameEmail(invitation.email, data.person.email)) {
    throw forbidden(
      'invitation.other_email',
      'This invitation was sent to another e-mail address: sign in with that address to accept it.',
    );
  }
  return invitation;
}

/** The recipient must be signed in with the same VERIFIED e-mail, to accept and to decline (INV-10, SEC-8a). */
function requireVerified(person: Person, action: 'accepting' | 'declining'): void {
  if (!person.emailVerified) {
    throw forbidden('email.unverified', `Verify your e-mail address before ${action} an invitation sent to it.`);
  }
}

function accept(
  invitation: Invitation,
  person: Person,
  owners: OwnersAmongSenders,
  now: string,
  state: AccessState,
): InvitationEvent[] {
  requireVerified(person, 'accepting');
  // A retried accept by the same person is a no-op; the handler still reports the API token owed.
  if (invitation.status === 'accepted' && invitation.acceptedBy === person.userId) return [];
  if (invitation.status !== 'pending')
    throw conflict('invitation.not_pending', `This invitation is ${invitation.status}.`);
  if (isAtOrBefore(invitation.expiresAt, now)) {
    throw conflict('invitation.expired', 'This invitation has expired; ask for a new one.');
  }
  // Closes the window between a sender losing the owner role and the reaction revoking what they
  // sent: without it, an owner could invite a second address of their own, leave, and come back.
  if ([...sendersOf(invitation)].some((sender) => !owners.has(sender))) {
    throw conflict(
      'invitation.inviter_lost_rights',
      'Whoever sent this invitation may no longer share access; ask an owner for a new one.',
    );
  }
  const access = state.accesses.get(invitation.accessId)!;
  return [
    {
      type: 'InvitationAccepted',
      data: {
        ...ref(invitation, state),
        userId: person.userId,
        role: access.role,
        scope: access.scope,
        accessType: access.type,
      },
    },
  ];
}

function decline(data: DeclineInvitation['data'], state: AccessState): InvitationEvent[] {
  const invitation = addressedTo(state, data.invitationId, data.person);
  requireVerified(data.person, 'declining');
  if (invitation.status === 'declined') return [];
  if (invitation.status !== 'pending')
    throw conflict('invitation.not_pending', `This invitation is ${invitation.status}.`);
  return [{ type: 'InvitationDeclined', data: { ...ref(invitation, state), userId: data.person.userId } }];
}

function resend(data: ResendInvitation['data'], state: AccessState): InvitationEvent[] {
  requireOwner(data.resender);
  const invitation = existing(state, data.invitationId);
  // An expired invitation may be sent again (a fresh link and expiry); a settled one may not.
  if (invitation.status !== 'pending' && invitation.status !== 'expired') {
    throw conflict('invitation.not_pending', `This invitation is ${invitation.status}; share access again instead.`);
  }
  return [
    {
      type: 'InvitationResent',
      data: {
        ...ref(invitation, state),
        link: data.link,
        expiresAt: addHours(data.now, state.expiryHours),
        resentBy: data.resentBy,
      },
    },
  ];
}

function revoke(
  invitation: Invitation,
  revokedBy: string,
  reason: InvitationRevocationReason,
  state: AccessState,
): InvitationEvent[] {
  if (invitation.status === 'revoked') return [];
  if (invitation.status !== 'pending' && invitation.status !== 'expired') {
    throw conflict('invitation.not_pending', `This invitation is ${invitation.status}.`);
  }
  return [{ type: 'InvitationRevoked', data: { ...ref(invitation, state), revokedBy, reason } }];
}

/**
 * SEC-7a: every unsettled invitation (pending, or expired and so resendable) that the inviter sent
 * before losing the right is revoked. Sendings after `lostRightsAt` were made with a right regained,
 * so a late or replayed reaction never kills them.
 */
function revokeInvitationsOfInviter(data: RevokeInvitationsOfInviter['data'], state: AccessState): InvitationEvent[] {
  const sentBeforeLoss = (i: Invitation) =>
    i.sentBy.some((s) => s.by === data.inviterId && isAtOrBefore(s.at, data.lostRightsAt));
  return [...state.invitations.values()]
    .filter((i) => (i.status === 'pending' || i.status === 'expired') && sentBeforeLoss(i))
    .flatMap((i) => revoke(i, data.revokedBy, 'inviter_lost_rights', state));
}

function expire(data: ExpireInvitation['data'], state: AccessState): InvitationEvent[] {
  const invitation = state.invitations.get(data.invitationId);
  if (!invitation || invitation.status !== 'pending' || !isAtOrBefore(invitation.expiresAt, data.now)) return [];
  return [{ type: 'InvitationExpired', data: { ...ref(invitation, state), expiredAt: invitation.expiresAt } }];
}

function changeSettings(data: ChangeInvitationSettings['data']): InvitationEvent[] {
  requireOwner(data.changer);
  const { min, max } = LIMITS.invitationExpiryHours;
  if (!Number.isInteger(data.expiryHours) || data.expiryHours < min || data.expiryHours > max) {
    throw invalid(
      'expiryHours',
      'invitation.expiry_out_of_range',
      `Invitation links are valid for ${min} to ${max} hours (30 days).`,
    );
  }
  return [
    {
      type: 'InvitationSettingsChanged',
      data: { accountId: data.accountId, expiryHours: data.expiryHours, changedBy: data.changedBy },
    },
  ];
}

function existing(state: AccessState, invitationId: string): Invitation {
  const invitation = state.invitations.get(invitationId);
  if (!invitation) throw notFound('invitation.not_found', 'No such invitation in this account.');
  return invitation;
}

function createdWithinDay(state: AccessState, now: string): string[] {
  const dayAgo = addHours(now, -24);
  return state.createdAt.filter((at) => !isAtOrBefore(at, dayAgo));
}

/** What every invitation event repeats about its invitation. */
function ref(invitation: Invitation, state: AccessState): InvitationRef {
  return {
    accessId: invitation.accessId,
    accountId: state.accountId ?? '',
    invitationId: invitation.invitationId,
    email: invitation.email,
  };
}

// ---- evolve ----

export function evolveAccess(state: AccessState, event: InvitationEvent): AccessState {
  switch (event.type) {
    case 'AccessShared': {
      const d = event.data;
      // Stored since schemaVersion 2; a version 1 event was upcast from its occurredAt on read.
      const created = d.sharedAt;
      const invitations = new Map(state.invitations);
      for (const r of d.recipients) {
        invitations.set(r.invitationId, {
          invitationId: r.invitationId,
          accessId: d.accessId,
          email: r.email,
          status: 'pending',
          sharedBy: d.sharedBy,
          sentBy: [{ by: d.sharedBy, at: created }],
          expiresAt: d.expiresAt,
          tokenHash: r.link.tokenHash,
          acceptedBy: null,
          declinedBy: null,
        });
      }
      // Only the last day's creations matter to the quota, so older ones are dropped.
      const createdAt = [
        ...state.createdAt.filter((at) => !isAtOrBefore(at, addHours(created, -24))),
        ...d.recipients.map(() => created),
      ];
      const accesses = new Map(state.accesses).set(d.accessId, {
        accessId: d.accessId,
        type: d.type,
        role: d.role,
        scope: d.scope,
      });
      return { ...state, accountId: d.accountId, accesses, invitations, createdAt };
    }
    case 'InvitationAccepted':
      return update(state, event.data.invitationId, () => ({ status: 'accepted', acceptedBy: event.data.userId }));
    case 'InvitationDeclined':
      return update(state, event.data.invitationId, () => ({ status: 'declined', declinedBy: event.data.userId }));
    case 'InvitationResent': {
      const { expiresAt, link, resentBy } = event.data;
      // The resend was decided at expiresAt − the validity in force (the same state decided it).
      // Unlike AccessShared's `sharedAt`, this instant is not stored: it would take a version 2.
      const at = addHours(expiresAt, -state.expiryHours);
      return update(state, event.data.invitationId, (i) => ({
        status: 'pending',
        expiresAt,
        tokenHash: link.tokenHash,
        sentBy: [...i.sentBy, { by: resentBy, at }],
      }));
    }
    case 'InvitationRevoked':
      return update(state, event.data.invitationId, () => ({ status: 'revoked' }));
    case 'InvitationExpired':
      return update(state, event.data.invitationId, () => ({ status: 'expired' }));
    case 'InvitationSettingsChanged':
      return { ...state, accountId: event.data.accountId, expiryHours: event.data.expiryHours };
    default:
      return exhaustive(event);
  }
}

function update(
  state: AccessState,
  invitationId: string,
  change: (current: Invitation) => Partial<Invitation>,
): AccessState {
  const current = state.invitations.get(invitationId);
  if (!current) return state;
  return { ...state, invitations: new Map(state.invitations).set(invitationId, { ...current, ...change(current) }) };
}

export const accessDecider: Decider<AccessCommand, InvitationEvent, AccessState> = {
  decide: decideAccess,
  evolve: evolveAccess,
  initialState: initialAccessState,
};
