import {
  conflict,
  exhaustive,
  invalid,
  notFound,
  type AccountCreatedData,
  type AddMemberPayload,
  type Decider,
  type MembershipEvent,
  type Role,
  type Scope,
} from '@accord/contracts';

// The Account aggregate (stream `account-<id>`): who belongs to it and with which role.

export type AccountCommand =
  | { readonly type: 'CreateAccount'; readonly data: AccountCreatedData }
  | { readonly type: 'AddMember'; readonly data: AddMemberPayload };

export interface Member {
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly scope: Scope;
}

export type AccountState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active';
      readonly accountId: string;
      readonly name: string;
      readonly rootOwnerId: string;
      readonly members: Readonly<Record<string, Member>>;
    };

export const initialAccountState = (): AccountState => ({ status: 'none' });

export function decideAccount(command: AccountCommand, state: AccountState): MembershipEvent[] {
  switch (command.type) {
    case 'CreateAccount': {
      if (state.status !== 'none') throw conflict('account.exists', 'This account already exists.');
      const name = command.data.name.trim();
      if (name.length === 0 || name.length > 100) {
        throw invalid('name', 'account.name_invalid', 'An account name has 1 to 100 characters.');
      }
      return [{ type: 'AccountCreated', data: { ...command.data, name } }];
    }
    case 'AddMember': {
      if (state.status !== 'active') throw notFound('account.not_found', 'No such account.');
      // Already a member (a redelivered InvitationAccepted, or the root owner accepting a share
      // of their own account): nothing changes, so reactions stay idempotent.
      if (state.members[command.data.userId]) return [];
      const { accountId, userId, email, role, scope, accessId, invitationId } = command.data;
      return [{ type: 'MemberJoined', data: { accountId, userId, email, role, scope, accessId, invitationId } }];
    }
    default:
      return exhaustive(command);
  }
}

export function evolveAccount(state: AccountState, event: MembershipEvent): AccountState {
  switch (event.type) {
    case 'AccountCreated': {
      const { accountId, name, rootOwner } = event.data;
      const owner: Member = { userId: rootOwner.userId, email: rootOwner.email, role: 'owner', scope: { type: 'global' } };
      return { status: 'active', accountId, name, rootOwnerId: rootOwner.userId, members: { [owner.userId]: owner } };
    }
    case 'MemberJoined': {
      if (state.status !== 'active') return state;
      const { userId, email, role, scope } = event.data;
      return { ...state, members: { ...state.members, [userId]: { userId, email, role, scope } } };
    }
    case 'MemberRemoved':
    case 'MemberLeft': {
      if (state.status !== 'active') return state;
      const { [event.data.userId]: _gone, ...members } = state.members;
      return { ...state, members };
    }
    case 'RoleChanged': {
      if (state.status !== 'active') return state;
      const member = state.members[event.data.userId];
      if (!member) return state;
      return { ...state, members: { ...state.members, [member.userId]: { ...member, role: event.data.to } } };
    }
    default:
      return exhaustive(event);
  }
}

export const accountDecider: Decider<AccountCommand, MembershipEvent, AccountState> = {
  decide: decideAccount,
  evolve: evolveAccount,
  initialState: initialAccountState,
};
