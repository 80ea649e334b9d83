import {
  invalid,
  isIsoInstant,
  type AccessAtAnswer,
  type AccessHistoryPayload,
  type AccordEnvelope,
  type Actor,
  type EventEnvelope,
  type GrantEvidence,
} from '@accord/contracts';
import {
  ACCOUNT_EVENT_TYPES,
  accountChange,
  evolveAccount,
  initialAccountState,
  type AccountState,
  type ActiveAccount,
  type Member,
} from '../account';
import { BILLING_ACCOUNT_REQUIRED, NOT_A_MEMBER, evaluateMember, type Answer, type Asked } from './evaluate-member';

// "Who could do X at time T": the live check's decision replayed on the account as it
// stood at T, with the events it rests on. The state is the domain's own fold (`evolveAccount`)
// and the decision the live check's own `evaluateMember`, so at "now" both answer alike; only the
// evidence is worked out here, by remembering while folding which event set each fact.

/** What `accessAt` is asked: the account is the stream it is given. */
export type AccessAtQuery = Omit<AccessHistoryPayload, 'accountId'>;

type AccountEnvelope = AccordEnvelope<(typeof ACCOUNT_EVENT_TYPES)[number]>;

const ACCOUNT_EVENTS: ReadonlySet<string> = new Set<string>(ACCOUNT_EVENT_TYPES);

const isAccountEvent = (event: EventEnvelope): event is AccountEnvelope => ACCOUNT_EVENTS.has(event.type);

/** The events that set the facts one member's decisions rest on. */
interface MemberFacts {
  /** AccountCreated (the root owner) or MemberJoined. */
  readonly joined: AccountEnvelope;
  /** The event that set the current role: the membership event, RoleChanged. */
  readonly role: AccountEnvelope;
  /** The last MemberPermissionsChanged; null while the member holds the none a join gives. */
  readonly permissions: AccountEnvelope | null;
  /** The event that set the current scope: the membership event, MemberScopeChanged. */
  readonly scope: AccountEnvelope;
}

/** The account at an instant, and where each fact of it came from. */
interface History {
  readonly state: AccountState;
  readonly members: ReadonlyMap<string, MemberFacts>;
  /** Per former member, the event that ended their last membership (MemberRemoved, MemberLeft). */
  readonly ended: ReadonlyMap<string, AccountEnvelope>;
  /** Per custom role, the CustomRoleDefined whose permissions are in force. */
  readonly customRoles: ReadonlyMap<string, AccountEnvelope>;
  /** AccountCreated, or the last OwnershipTransferred. */
  readonly rootOwner: AccountEnvelope | null;
}

/**
 * Whether `query.userId` held `query.permission` (within `query.billingAccountId`) at the instant
 * `query.at`, given the account's stream in order, and through which events. Events that occurred
 * at exactly `at` count. Throws `invalid('at')` unless `at` is an ISO-8601 instant with a zone.
 */
export function accessAt(events: readonly EventEnvelope[], query: AccessAtQuery): AccessAtAnswer {
  if (!isIsoInstant(query.at)) {
    throw invalid('at', 'at.invalid', 'at is an ISO-8601 date and time with a zone, e.g. 2030-01-31T09:00:00Z.');
  }
  const atMs = Date.parse(query.at);
  const at = new Date(atMs).toISOString();
  const history = historyUntil(events, atMs);
  const account = history.state.status === 'active' ? history.state : undefined;
  // Map look-ups: a user id "constructor" is no member (SEC-1a).
  const member = account?.members.get(query.userId);
  const facts = history.members.get(query.userId);
  if (!account || !member || !facts) {
    const ended = history.ended.get(query.userId);
    return {
      allowed: false,
      reason: NOT_A_MEMBER,
      at,
      role: null,
      scope: null,
      grants: ended
        ? [evidence(ended, ended.type === 'MemberLeft' ? 'left the account' : 'removed from the account')]
        : [],
    };
  }
  const asked: Asked =
    query.billingAccountId === undefined
      ? { permission: query.permission }
      : { permission: query.permission, billingAccountId: query.billingAccountId };
  const answer = evaluateMember(account, member, asked);
  return {
    allowed: answer.allowed,
    reason: answer.reason,
    at,
    role: member.role,
    scope: member.scope,
    grants: answer.allowed
      ? grantsBehind(answer, { account, member, facts, history, asked })
      : denialBehind(answer, member, facts),
  };
}

/**
 * The account as it stood at `atMs`: the longest prefix of the stream whose events all occurred
 * at or before it. A prefix, not every event dated before `atMs`: every state a decider decided on
 * is a prefix, so even with clocks that disagreed the answer is about a state that existed.
 */
function historyUntil(events: readonly EventEnvelope[], atMs: number): History {
  let state: AccountState = initialAccountState();
  let members = new Map<string, MemberFacts>();
  let ended = new Map<string, AccountEnvelope>();
  let customRoles = new Map<string, AccountEnvelope>();
  let rootOwner: AccountEnvelope | null = null;
  for (const event of events) {
    if (!isAccountEvent(event)) continue;
    if (!(Date.parse(event.occurredAt) <= atMs)) break;
    const change = accountChange(state, event);
    switch (change.kind) {
      case 'created':
        members = new Map([[change.account.rootOwnerId, joinedBy(event)]]);
        ended = new Map();
        customRoles = new Map();
        rootOwner = event;
        break;
      case 'member':
        if (change.member === null) {
          members.delete(change.userId);
          ended.set(change.userId, event);
        } else {
          const facts = memberFacts(members.get(change.userId), event);
          if (facts) members.set(change.userId, facts);
        }
        break;
      case 'rootOwner':
        rootOwner = event;
        break;
      case 'customRole':
        if (change.permissions === null) customRoles.delete(change.name);
        else customRoles.set(change.name, event);
        break;
      default:
        // A billing account or a no-op: no fact the evidence names.
        break;
    }
    state = evolveAccount(state, event);
  }
  return { state, members, ended, customRoles, rootOwner };
}

function joinedBy(event: AccountEnvelope): MemberFacts {
  return { joined: event, role: event, permissions: null, scope: event };
}

/** A member's facts after `event` changed them (a join starts afresh); undefined: none to keep. */
function memberFacts(facts: MemberFacts | undefined, event: AccountEnvelope): MemberFacts | undefined {
  if (event.type === 'MemberJoined') return joinedBy(event);
  if (!facts) return undefined;
  switch (event.type) {
    case 'RoleChanged':
      return { ...facts, role: event };
    case 'MemberPermissionsChanged':
      return { ...facts, permissions: event };
    case 'MemberScopeChanged':
      return { ...facts, scope: event };
    default:
      // Display names and the environment flag decide nothing.
      return facts;
  }
}

interface Decided {
  readonly account: ActiveAccount;
  readonly member: Member;
  readonly facts: MemberFacts;
  readonly history: History;
  readonly asked: Asked;
}

/** The events an allowance rests on, one entry per event, in the order the facts are read. */
function grantsBehind(answer: Answer, decided: Decided): GrantEvidence[] {
  const { account, member, facts, history, asked } = decided;
  const grants: GrantEvidence[] = [];
  const add = (event: AccountEnvelope | null | undefined, what: string): void => {
    if (event && !grants.some((g) => g.eventId === event.id)) grants.push(evidence(event, what));
  };
  if (member.role === 'owner') {
    const root = history.rootOwner;
    if (member.userId === account.rootOwnerId && root?.type === 'AccountCreated') {
      add(root, 'owner, created the account');
    } else if (member.userId === account.rootOwnerId) {
      add(facts.role, 'role owner');
      add(root, 'owner by transfer');
    } else {
      add(facts.role, 'role owner');
    }
  } else if (answer.reason === 'granted permission') {
    // Through the custom role, the member's own permissions, or both: each asked of the live
    // evaluator with the other taken away, so the evidence never disagrees with the decision.
    const customRole = history.customRoles.get(member.role);
    if (customRole && evaluateMember(account, { ...member, permissions: [] }, asked).allowed) {
      add(facts.role, `role ${member.role}`);
      add(customRole, `custom role ${member.role} defined`);
    }
    if (evaluateMember({ ...account, customRoles: new Map() }, member, asked).allowed) {
      add(facts.permissions, 'permissions');
    }
  } else if (answer.reason === `role ${member.role}`) {
    add(facts.role, `role ${member.role}`);
  } else {
    // AUTHZ-6: a section available to every member rests on the membership alone.
    add(facts.joined, 'member');
  }
  return grants;
}

/** The event behind a member's denial when one fact made it: the scope that keeps them out. */
function denialBehind(answer: Answer, member: Member, facts: MemberFacts): GrantEvidence[] {
  const scope = member.scope;
  if (scope.type !== 'restricted') return [];
  if (answer.reason !== BILLING_ACCOUNT_REQUIRED && answer.reason !== 'restricted to another billing account')
    return [];
  return [evidence(facts.scope, `scope restricted to billing account ${scope.billingAccountId}`)];
}

function evidence(event: AccountEnvelope, what: string): GrantEvidence {
  return { eventId: event.id, type: event.type, occurredAt: event.occurredAt, actor: actorOf(event.actor), what };
}

/** The actor's known fields only: an envelope read from elsewhere carries nothing more out. */
function actorOf(actor: Actor): Actor {
  return {
    userId: actor.userId,
    via: actor.via,
    ...(actor.tokenId !== undefined ? { tokenId: actor.tokenId } : {}),
    ...(actor.impersonatorId !== undefined ? { impersonatorId: actor.impersonatorId } : {}),
  };
}
