import {
  LIMITS,
  addHours,
  conflict,
  exhaustive,
  forbidden,
  gone,
  invalid,
  isAtOrBefore,
  isIsoInstant,
  normalizeEmail,
  notFound,
  rateLimited,
  sameEmail,
  secondsBetween,
  type AccessType,
  type Decider,
  type GrantCheck,
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
  /** MEM-24: the account is closed; it takes no more shares, resends or other changes. */
  readonly accountClosed?: boolean;
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
    /**
     * INV-26: the permissions asked for, as the membership service checked them for the sharer
     * (validated and expanded as a PATCH of a member, each marked held or not). Absent: none.
     */
    readonly grant?: GrantCheck;
    /** AUTHZ-16: recipients may create environments. */
    readonly mayCreateEnvironments?: boolean;
    /** INV-29: when the access ends (ISO-8601, after `now`, at most a year ahead); absent: never. */
    readonly accessExpiresAt?: string;
  };
}

/** INV-27: more recipients for an existing access, by the rules of a share. */
export interface AddRecipients {
  readonly type: 'AddRecipients';
  readonly data: {
    readonly accessId: string;
    readonly recipients: readonly InvitationRecipient[];
    readonly addedBy: string;
    readonly adder: ActorRights;
    /** Every billing account of the account: a restricted access's one must still exist (MEM-26). */
    readonly billingAccountIds: readonly string[];
    /** E-mails of the account's current members (inviting a member is refused). */
    readonly memberEmails: readonly string[];
    readonly dailyLimit: number;
    readonly now: string;
  };
}

/** INV-28: the sharer renames their access. */
export interface RenameAccess {
  readonly type: 'RenameAccess';
  readonly data: {
    readonly accessId: string;
    readonly name: string;
    readonly renamedBy: string;
    readonly renamer: ActorRights;
  };
}

/** INV-28: an owner revokes an access. */
export interface RevokeAccess {
  readonly type: 'RevokeAccess';
  readonly data: {
    readonly accessId: string;
    readonly revokedBy: string;
    readonly revoker: ActorRights;
    readonly now: string;
  };
}

/** INV-29: raised by the access-expiry scheduler; harmless unless the access is live and past its end. */
export interface ExpireAccess {
  readonly type: 'ExpireAccess';
  readonly data: { readonly accessId: string; readonly now: string };
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
    /** MEM-24: the membership service says the account is closed: nobody joins it any more. */
    readonly accountClosed?: boolean;
  };
}

export interface AcceptByToken {
  readonly type: 'AcceptByToken';
  readonly data: {
    readonly tokenHash: string;
    readonly person: Person;
    readonly owners: OwnersAmongSenders;
    readonly now: string;
    /** MEM-24, as for `AcceptInvitation`. */
    readonly accountClosed?: boolean;
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

/**
 * MEM-23: reaction to `AccountClosed`: every unsettled invitation of the account (pending, or
 * expired and so resendable) is revoked, by the root owner who closed it. Redelivery revokes nothing
 * twice (an invitation already revoked is skipped).
 */
export interface RevokeInvitationsOfClosedAccount {
  readonly type: 'RevokeInvitationsOfClosedAccount';
  readonly data: { readonly accountId: string; readonly closedBy: string };
}

/**
 * MEM-26: reaction to `BillingAccountDeleted`: the unsettled invitations (pending, or expired and so
 * resendable) of every access restricted to that billing account are revoked, by the owner who
 * deleted it, since accepting one could make nobody a member. Redelivery revokes nothing twice.
 */
export interface RevokeInvitationsOfDeletedBillingAccount {
  readonly type: 'RevokeInvitationsOfDeletedBillingAccount';
  readonly data: { readonly accountId: string; readonly billingAccountId: string; readonly deletedBy: string };
}

export type AccessCommand =
  | ShareAccess
  | AcceptInvitation
  | AcceptByToken
  | DeclineInvitation
  | ResendInvitation
  | RevokeInvitation
  | RevokeInvitationsOfInviter
  | RevokeInvitationsOfClosedAccount
  | RevokeInvitationsOfDeletedBillingAccount
  | ExpireInvitation
  | ChangeInvitationSettings
  | AddRecipients
  | RenameAccess
  | RevokeAccess
  | ExpireAccess;

/** An access is live until it is revoked (INV-28) or its end date passes (INV-29). */
export type AccessStatus = 'active' | 'revoked' | 'expired';

// ---- state ----

export interface Access {
  readonly accessId: string;
  readonly type: AccessType;
  readonly role: Role;
  readonly scope: Scope;
  /** INV-26: expanded; empty when the access grants nothing beside its role. */
  readonly permissions: readonly string[];
  /** AUTHZ-16. */
  readonly mayCreateEnvironments: boolean;
  /** INV-4, INV-28: the sharer's own label, renamed by them alone. */
  readonly name: string;
  readonly sharedBy: string;
  /** INV-28, INV-29. */
  readonly status: AccessStatus;
  /** INV-29: when it ends; null: never. */
  readonly accessExpiresAt: string | null;
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
      const invitation = addressedTo(state, invitationId, person);
      // Only its addressee learns that the account is closed (a stranger got "not found" above).
      if (command.data.accountClosed) throw accountClosed();
      return accept(invitation, person, owners, now, state);
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
    case 'RevokeInvitationsOfClosedAccount':
      return [...state.invitations.values()]
        .filter((i) => i.status === 'pending' || i.status === 'expired')
        .flatMap((i) => revoke(i, command.data.closedBy, 'account_closed', state));
    case 'RevokeInvitationsOfDeletedBillingAccount':
      return revokeInvitationsOfDeletedBillingAccount(command.data, state);
    case 'ExpireInvitation':
      return expire(command.data, state);
    case 'ChangeInvitationSettings':
      return changeSettings(command.data);
    case 'AddRecipients':
      return addRecipients(command.data, state);
    case 'RenameAccess':
      return renameAccess(command.data, state);
    case 'RevokeAccess':
      return revokeAccess(command.data, state);
    case 'ExpireAccess':
      return expireAccess(command.data, state);
    default:
      return exhaustive(command);
  }
}

/** Owners alone share access and manage invitations (INV-1, SEC-10b); a stranger learns nothing. */
function requireOwner(rights: ActorRights): void {
  if (!rights.member) throw notFound('account.not_found', 'No such account.');
  if (rights.accountClosed) throw accountClosed();
  if (!rights.owner) throw forbidden('users.owner_only', 'Only owners manage the users of an account.');
}

/** MEM-24: a closed account takes no more shares, resends or accepts (410). */
function accountClosed() {
  return gone('account.closed', 'This account is closed: it takes no more changes.');
}

function share(data: ShareAccess['data'], state: AccessState): InvitationEvent[] {
  requireOwner(data.sharer);
  if (state.accesses.has(data.accessId)) throw conflict('access.exists', 'This access already exists.');
  const name = data.name.trim();
  if (name.length === 0 || name.length > LIMITS.name) {
    throw invalid('name', 'access.name_invalid', `An access name has 1 to ${LIMITS.name} characters.`);
  }
  checkScope(data);
  const granted = grantedBy(data);
  const accessExpiresAt = checkAccessEnd(data.accessExpiresAt, data.now);
  checkRecipientCount(data.recipients.length);
  if (data.message !== null && data.message.length > LIMITS.message) {
    throw invalid('message', 'access.message_too_long', `A message has at most ${LIMITS.message} characters.`);
  }
  checkRecipients(data, state);
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
        ...granted,
        ...(accessExpiresAt === null ? {} : { accessExpiresAt }),
      },
    },
  ];
}

/** INV-2: 1 to `LIMITS.recipients` recipients in one request (and, INV-27, on one access in all). */
function checkRecipientCount(count: number): void {
  if (count === 0 || count > LIMITS.recipients) {
    throw invalid('recipients', 'access.recipients_count', `An access has 1 to ${LIMITS.recipients} recipients.`);
  }
}

/**
 * The rules every new invitation follows, whether made by a share or added to an access later
 * (INV-27): each e-mail once (INV-2), no current member (INV-7), no second pending invitation for
 * an e-mail in the account (INV-6), and the account's daily quota (INV-8).
 */
function checkRecipients(
  data: {
    readonly recipients: readonly InvitationRecipient[];
    readonly memberEmails: readonly string[];
    readonly dailyLimit: number;
    readonly now: string;
  },
  state: AccessState,
): void {
  const emails = data.recipients.map((r) => normalizeEmail(r.email));
  if (new Set(emails).size !== emails.length) {
    throw invalid('recipients', 'access.recipients_duplicate', 'Each recipient e-mail may appear once.');
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
}

/**
 * INV-29: a time-limited access ends after `now` and at most one year (same date next year, UTC)
 * ahead; a longer grant is a standing one and should be given as such. Null: it never ends.
 */
function checkAccessEnd(accessExpiresAt: string | undefined, now: string): string | null {
  if (accessExpiresAt === undefined) return null;
  if (!isIsoInstant(accessExpiresAt)) {
    throw invalid('accessExpiresAt', 'access.expiry_invalid', 'accessExpiresAt must be an ISO-8601 date and time.');
  }
  const end = new Date(accessExpiresAt).toISOString();
  if (isAtOrBefore(end, now)) {
    throw invalid('accessExpiresAt', 'access.expiry_past', 'accessExpiresAt must be in the future.');
  }
  if (!isAtOrBefore(end, oneYearAfter(now))) {
    throw invalid('accessExpiresAt', 'access.expiry_too_far', 'accessExpiresAt is at most one year ahead.');
  }
  return end;
}

function oneYearAfter(instant: string): string {
  const at = new Date(instant);
  at.setUTCFullYear(at.getUTCFullYear() + 1);
  return at.toISOString();
}

/** The access `accessId` of this account; another account's or an unknown one is not found. */
function existingAccess(state: AccessState, accessId: string): Access {
  const access = state.accesses.get(accessId);
  if (!access) throw notFound('access.not_found', 'No such access in this account.');
  return access;
}

/** INV-28, INV-29: a revoked access, or one past its end (even before it was marked expired), is over. */
function isLive(access: Access, now: string): boolean {
  return access.status === 'active' && (access.accessExpiresAt === null || !isAtOrBefore(access.accessExpiresAt, now));
}

function requireLive(access: Access, now: string): void {
  if (!isLive(access, now)) {
    throw conflict('access.ended', `This access has ended (${access.status === 'revoked' ? 'revoked' : 'expired'}).`);
  }
}

/**
 * INV-27: any owner may invite more people to a live access (owners alone manage users, MEM-3),
 * by every rule of a share; an access never has more than `LIMITS.recipients` recipients in all.
 * The new invitations are sent by whoever added them (their sender for SEC-7a, SEC-7b).
 */
function addRecipients(data: AddRecipients['data'], state: AccessState): InvitationEvent[] {
  requireOwner(data.adder);
  const access = existingAccess(state, data.accessId);
  requireLive(access, data.now);
  if (access.scope.type === 'restricted' && !data.billingAccountIds.includes(access.scope.billingAccountId)) {
    throw conflict('access.billing_account_deleted', 'This access’s billing account was deleted: share a new access.');
  }
  checkRecipientCount(data.recipients.length);
  const already = [...state.invitations.values()].filter((i) => i.accessId === access.accessId).length;
  if (already + data.recipients.length > LIMITS.recipients) {
    throw invalid(
      'recipients',
      'access.recipients_count',
      `An access has at most ${LIMITS.recipients} recipients; this one has ${already}.`,
    );
  }
  checkRecipients(data, state);
  return [
    {
      type: 'AccessRecipientsAdded',
      data: {
        accessId: access.accessId,
        accountId: state.accountId ?? '',
        role: access.role,
        recipients: data.recipients.map((r) => ({ ...r, email: r.email.trim() })),
        addedBy: data.addedBy,
        addedAt: data.now,
        expiresAt: addHours(data.now, state.expiryHours),
      },
    },
  ];
}

/**
 * INV-28: the name is the sharer's own label (INV-4), so the sharer alone renames it; another
 * owner, who sees the access without its name, is refused. The same name again changes nothing.
 */
function renameAccess(data: RenameAccess['data'], state: AccessState): InvitationEvent[] {
  requireOwner(data.renamer);
  const access = existingAccess(state, data.accessId);
  if (access.sharedBy !== data.renamedBy) {
    throw forbidden('access.sharer_only', 'Only the owner who shared this access may rename it.');
  }
  const name = data.name.trim();
  if (name.length === 0 || name.length > LIMITS.name) {
    throw invalid('name', 'access.name_invalid', `An access name has 1 to ${LIMITS.name} characters.`);
  }
  if (name === access.name) return [];
  return [
    {
      type: 'AccessRenamed',
      data: { accessId: access.accessId, accountId: state.accountId ?? '', name, renamedBy: data.renamedBy },
    },
  ];
}

/**
 * INV-28: any owner may revoke an access, not only its sharer: owners may remove any member but
 * the root one by one (MEM-7), so revoking is no new power, and an access must not outlive a
 * sharer who left. Its unsettled invitations are revoked with it; the members who joined through
 * it are removed by the membership context's reaction to `AccessRevoked`. Revoking twice changes
 * nothing; an access that already ran out is not revoked.
 */
function revokeAccess(data: RevokeAccess['data'], state: AccessState): InvitationEvent[] {
  requireOwner(data.revoker);
  const access = existingAccess(state, data.accessId);
  if (access.status === 'revoked') return [];
  if (access.status === 'expired') throw conflict('access.ended', 'This access has ended (expired).');
  return [
    {
      type: 'AccessRevoked',
      data: {
        accessId: access.accessId,
        accountId: state.accountId ?? '',
        revokedBy: data.revokedBy,
        revokedAt: data.now,
      },
    },
    ...revokeUnsettled(access, data.revokedBy, 'access_revoked', state),
  ];
}

/**
 * INV-29: once a live access's end date has passed it expires; its unsettled invitations are
 * revoked (on behalf of its sharer, who set the end) and the membership context removes the
 * members who joined through it. Replicas may tick together: a second expiry changes nothing.
 */
function expireAccess(data: ExpireAccess['data'], state: AccessState): InvitationEvent[] {
  const access = state.accesses.get(data.accessId);
  if (!access || access.status !== 'active' || access.accessExpiresAt === null) return [];
  if (!isAtOrBefore(access.accessExpiresAt, data.now)) return [];
  return [
    {
      type: 'AccessExpired',
      data: {
        accessId: access.accessId,
        accountId: state.accountId ?? '',
        sharedBy: access.sharedBy,
        expiredAt: access.accessExpiresAt,
      },
    },
    ...revokeUnsettled(access, access.sharedBy, 'access_expired', state),
  ];
}

/** MEM-26: the unsettled invitations of every access restricted to the deleted billing account. */
function revokeInvitationsOfDeletedBillingAccount(
  data: RevokeInvitationsOfDeletedBillingAccount['data'],
  state: AccessState,
): InvitationEvent[] {
  return [...state.accesses.values()]
    .filter((a) => a.scope.type === 'restricted' && a.scope.billingAccountId === data.billingAccountId)
    .flatMap((a) => revokeUnsettled(a, data.deletedBy, 'billing_account_deleted', state));
}

/** Every pending or expired (so resendable) invitation of the access, revoked. */
function revokeUnsettled(
  access: Access,
  revokedBy: string,
  reason: InvitationRevocationReason,
  state: AccessState,
): InvitationEvent[] {
  return [...state.invitations.values()]
    .filter((i) => i.accessId === access.accessId && (i.status === 'pending' || i.status === 'expired'))
    .flatMap((i) => revoke(i, revokedBy, reason, state));
}

/**
 * INV-26: a share gives its recipients exactly the permissions asked, by the rules of a PATCH of a
 * member (the catalog's permissions, nothing owner-only, no special one: `permission.not_grantable`)
 * and never more than the sharer holds (`permission.beyond_sharer`). Owners hold everything, so a
 * share of the owner role takes none. AUTHZ-16: the environment flag rides along (moot for owners).
 * Empty and false are left out of the event, which then reads as before.
 */
function grantedBy(data: ShareAccess['data']): { permissions?: string[]; mayCreateEnvironments?: true } {
  const out: { permissions?: string[]; mayCreateEnvironments?: true } = {};
  const grant = data.grant;
  if (grant !== undefined) {
    if (!grant.ok) throw invalid(`permissions[${grant.index}]`, 'permission.not_grantable', grant.reason);
    if (grant.permissions.length > 0 && data.role === 'owner')
      throw invalid('permissions', 'access.owner_permissions', 'Owners hold every permission already.');
    const beyond = grant.permissions.find((_, i) => grant.held[i] !== true);
    if (beyond !== undefined)
      throw forbidden('permission.beyond_sharer', `You cannot grant ${beyond}: you do not hold it.`);
    if (grant.permissions.length > 0) out.permissions = [...grant.permissions];
  }
  if (data.mayCreateEnvironments === true && data.role !== 'owner') out.mayCreateEnvironments = true;
  return out;
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
  // MEM-24: the link's addressee learns that the account is closed, whatever became of the link.
  if (invitation && data.accountClosed && sameEmail(invitation.email, data.person.email)) throw accountClosed();
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
  // INV-29: past its end an access is over, even before the scheduler marked it expired.
  if (!isLive(access, now)) throw conflict('access.ended', 'This access has ended; ask for a new one.');
  return [
    {
      type: 'InvitationAccepted',
      data: {
        ...ref(invitation, state),
        userId: person.userId,
        role: access.role,
        scope: access.scope,
        accessType: access.type,
        // INV-26, AUTHZ-16: the member joins with exactly what the access granted.
        ...(access.permissions.length > 0 ? { permissions: [...access.permissions] } : {}),
        ...(access.mayCreateEnvironments ? { mayCreateEnvironments: true } : {}),
        ...(access.accessExpiresAt === null ? {} : { accessExpiresAt: access.accessExpiresAt }),
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
  requireLive(existingAccess(state, invitation.accessId), data.now);
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
        permissions: d.permissions ?? [],
        mayCreateEnvironments: d.mayCreateEnvironments === true,
        name: d.name,
        sharedBy: d.sharedBy,
        status: 'active',
        accessExpiresAt: d.accessExpiresAt ?? null,
      });
      return { ...state, accountId: d.accountId, accesses, invitations, createdAt };
    }
    case 'AccessRecipientsAdded': {
      const d = event.data;
      const invitations = new Map(state.invitations);
      for (const r of d.recipients) {
        invitations.set(r.invitationId, {
          invitationId: r.invitationId,
          accessId: d.accessId,
          email: r.email,
          status: 'pending',
          sharedBy: d.addedBy,
          sentBy: [{ by: d.addedBy, at: d.addedAt }],
          expiresAt: d.expiresAt,
          tokenHash: r.link.tokenHash,
          acceptedBy: null,
          declinedBy: null,
        });
      }
      const createdAt = [
        ...state.createdAt.filter((at) => !isAtOrBefore(at, addHours(d.addedAt, -24))),
        ...d.recipients.map(() => d.addedAt),
      ];
      return { ...state, invitations, createdAt };
    }
    case 'AccessRenamed':
      return updateAccess(state, event.data.accessId, { name: event.data.name });
    case 'AccessRevoked':
      return updateAccess(state, event.data.accessId, { status: 'revoked' });
    case 'AccessExpired':
      return updateAccess(state, event.data.accessId, { status: 'expired' });
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

function updateAccess(state: AccessState, accessId: string, change: Partial<Access>): AccessState {
  const current = state.accesses.get(accessId);
  if (!current) return state;
  return { ...state, accesses: new Map(state.accesses).set(accessId, { ...current, ...change }) };
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
