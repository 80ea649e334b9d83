import {
  addHours,
  conflict,
  exhaustive,
  forbidden,
  invalid,
  isAtOrBefore,
  normalizeEmail,
  notFound,
  sameEmail,
  type AccessType,
  type Decider,
  type InvitationEvent,
  type InvitationRecipient,
  type InvitationStatus,
  type Person,
  type Role,
  type Scope,
} from '@accord/contracts';

// The Access aggregate (stream `access-<id>`): one share (seed 000) and its Invitations, one per
// recipient. They are born together and the sharer's list shows them together, so one stream
// keeps every rule about them consistent (e.g. two accepts of one invitation).

/** Seed 004: "Invitational link to the project is valid for 3 days." */
export const DEFAULT_INVITATION_HOURS = 72;
export const MAX_RECIPIENTS = 50;
export const MAX_MESSAGE_LENGTH = 1000;

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
    readonly now: string;
  };
}

export interface AcceptInvitation {
  readonly type: 'AcceptInvitation';
  readonly data: { readonly invitationId: string; readonly person: Person; readonly now: string };
}

export type AccessCommand = ShareAccess | AcceptInvitation;

export interface Invitation {
  readonly invitationId: string;
  readonly email: string;
  readonly status: InvitationStatus;
  readonly acceptedBy: string | null;
}

export type AccessState =
  | { readonly status: 'none' }
  | {
      readonly status: 'shared';
      readonly accessId: string;
      readonly accountId: string;
      readonly role: Role;
      readonly scope: Scope;
      readonly expiresAt: string;
      readonly invitations: Readonly<Record<string, Invitation>>;
    };

export const initialAccessState = (): AccessState => ({ status: 'none' });

export function decideAccess(command: AccessCommand, state: AccessState): InvitationEvent[] {
  switch (command.type) {
    case 'ShareAccess':
      return share(command.data, state);
    case 'AcceptInvitation':
      return accept(command.data, state);
    default:
      return exhaustive(command);
  }
}

function share(data: ShareAccess['data'], state: AccessState): InvitationEvent[] {
  if (state.status !== 'none') throw conflict('access.exists', 'This access already exists.');
  const name = data.name.trim();
  if (name.length === 0 || name.length > 100) {
    throw invalid('name', 'access.name_invalid', 'An access name has 1 to 100 characters.');
  }
  if (data.accessType !== 'delegate') {
    throw invalid('type', 'access.type_unavailable', 'Only delegate accesses can be shared for now.');
  }
  if (data.recipients.length === 0 || data.recipients.length > MAX_RECIPIENTS) {
    throw invalid('recipients', 'access.recipients_count', `An access has 1 to ${MAX_RECIPIENTS} recipients.`);
  }
  const distinct = new Set(data.recipients.map((r) => normalizeEmail(r.email)));
  if (distinct.size !== data.recipients.length) {
    throw invalid('recipients', 'access.recipients_duplicate', 'Each recipient e-mail may appear once.');
  }
  if (data.message !== null && data.message.length > MAX_MESSAGE_LENGTH) {
    throw invalid('message', 'access.message_too_long', `A message has at most ${MAX_MESSAGE_LENGTH} characters.`);
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
        recipients: data.recipients.map((r) => ({ invitationId: r.invitationId, email: r.email.trim() })),
        message: data.message,
        sharedBy: data.sharedBy,
        expiresAt: addHours(data.now, DEFAULT_INVITATION_HOURS),
      },
    },
  ];
}

function accept(data: AcceptInvitation['data'], state: AccessState): InvitationEvent[] {
  const invitation = state.status === 'shared' ? state.invitations[data.invitationId] : undefined;
  // Someone else's invitation answers exactly like a missing one: ids are not an oracle.
  if (state.status !== 'shared' || !invitation || !sameEmail(invitation.email, data.person.email)) {
    throw notFound('invitation.not_found', 'No such invitation for you.');
  }
  if (!data.person.emailVerified) {
    throw forbidden('email.unverified', 'Verify your e-mail address before accepting an invitation sent to it.');
  }
  if (invitation.status === 'accepted' && invitation.acceptedBy === data.person.userId) return [];
  if (invitation.status !== 'pending') {
    throw conflict('invitation.not_pending', `This invitation is ${invitation.status}.`);
  }
  if (isAtOrBefore(state.expiresAt, data.now)) {
    throw conflict('invitation.expired', 'This invitation has expired; ask for a new one.');
  }
  return [
    {
      type: 'InvitationAccepted',
      data: {
        accessId: state.accessId,
        accountId: state.accountId,
        invitationId: invitation.invitationId,
        userId: data.person.userId,
        email: invitation.email,
        role: state.role,
        scope: state.scope,
      },
    },
  ];
}

export function evolveAccess(state: AccessState, event: InvitationEvent): AccessState {
  switch (event.type) {
    case 'AccessShared': {
      const { accessId, accountId, role, scope, expiresAt, recipients } = event.data;
      const invitations = Object.fromEntries(
        recipients.map((r) => [r.invitationId, { invitationId: r.invitationId, email: r.email, status: 'pending' as const, acceptedBy: null }]),
      );
      return { status: 'shared', accessId, accountId, role, scope, expiresAt, invitations };
    }
    case 'InvitationAccepted': {
      if (state.status !== 'shared') return state;
      const current = state.invitations[event.data.invitationId];
      if (!current) return state;
      const accepted: Invitation = { ...current, status: 'accepted', acceptedBy: event.data.userId };
      return { ...state, invitations: { ...state.invitations, [accepted.invitationId]: accepted } };
    }
    default:
      return exhaustive(event);
  }
}

export const accessDecider: Decider<AccessCommand, InvitationEvent, AccessState> = {
  decide: decideAccess,
  evolve: evolveAccess,
  initialState: initialAccessState,
};
