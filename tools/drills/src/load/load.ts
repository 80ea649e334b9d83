import { randomUUID } from 'node:crypto';
import type { Role } from '@accord/contracts';
import { roleAllows } from '@accord/membership-permissions';
import type { RecordedRequest } from '../ports';
import { send, type LoadAnswer, type LoadRequest } from './http';
import type { LoadKind } from './kinds';
import { newPerson, type LoadPerson } from './load-person';

export interface LoadOptions {
  /** `http://127.0.0.1:PORT` of the gateway. */
  readonly baseUrl: string;
  /** The HS256 secret the gateway verifies session tokens with. */
  readonly jwtSecret: string;
  /** Requests started per second, whatever the answers (open loop). */
  readonly ratePerSecond: number;
  /** Each request is aborted after this long and recorded as status 0, error `timeout`. */
  readonly requestTimeoutMs: number;
  /** Relative weights of the kinds (defaults below); a kind whose preconditions do not hold is skipped. */
  readonly weights?: Partial<Record<LoadKind, number>>;
}

export interface RunningLoad {
  /** Every request recorded so far (answered ones only). */
  readonly records: readonly RecordedRequest[];
  /** Stops starting requests, waits for those in flight (bounded by the request timeout), returns all. */
  stop(): Promise<RecordedRequest[]>;
}

const DEFAULT_WEIGHTS: Record<LoadKind, number> = {
  'create-account': 1,
  share: 3,
  accept: 3,
  'change-role': 2,
  'remove-member': 1,
  'issue-token': 2,
  'revoke-token': 1,
  'authz-check': 4,
  'my-invitations': 1,
};

/** The membership service adds a member in reaction to InvitationAccepted: give it this long first. */
const JOIN_DELAY_MS = 2_000;
/** Well under the daily invitation limit per account (500): a fresh account takes over. */
const SHARES_PER_ACCOUNT = 200;
/** The permission that tells the built-in non-owner roles apart (administrators hold it, others not). */
const PROBE_PERMISSION = 'project:manage';
const MEMBER_ROLES: readonly Role[] = ['administrator', 'accountant', 'read-only'];

interface Account {
  readonly id: string;
  readonly owner: LoadPerson;
  readonly position: number;
  shares: number;
}
interface Invitation {
  readonly account: Account;
  readonly invitee: LoadPerson;
  readonly id: string;
  readonly role: Role;
  readonly position: number;
  listed: boolean;
}
interface Member {
  readonly account: Account;
  readonly person: LoadPerson;
  role: Role;
  readonly acceptedAt: number;
  /** A request on this member is in flight: nothing else may change or probe it meanwhile. */
  busy: boolean;
  /** The role is known as of this position (a change-role answered 2xx). */
  known: { readonly role: Role; readonly position: number } | null;
  /** A change or removal timed out or failed with 5xx: its outcome is unknown, so no more changes. */
  uncertain: boolean;
}
interface Removed {
  readonly account: Account;
  readonly person: LoadPerson;
  readonly position: number;
  busy: boolean;
}
interface Token {
  readonly account: Account;
  readonly id: string;
}

/**
 * A steady, fixed-rate mix of Accord's commands and checks over HTTP. Requests are started on a
 * timer (`ratePerSecond`, catching up if the event loop was late) and never wait for earlier
 * answers. A small state machine keeps commands mostly valid: invitations are accepted by their
 * invitee once shared, only members that joined are changed or removed, only issued tokens are
 * revoked; what a command's answer leaves uncertain (timeout, 5xx) is not built upon.
 *
 * No `Idempotency-Key` is sent: the load never retries, each request is a new command, so there is
 * nothing to de-duplicate on the client side; a doubled command can then only come from the system
 * itself, which is what the checks look for.
 */
export function startLoad(options: LoadOptions): RunningLoad {
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const run = randomUUID().slice(0, 8);
  const records: RecordedRequest[] = [];
  const inFlight = new Set<Promise<void>>();
  const accounts: Account[] = [];
  const invitations: Invitation[] = [];
  const members: Member[] = [];
  const removed: Removed[] = [];
  const tokens: Token[] = [];
  let accountsCreating = 0;

  const fire = (work: () => Promise<void>) => {
    const task = work().catch((error: unknown) => {
      // A bug of the load itself, never the system's answer (those are recorded): make it visible.
      console.error('load: request task failed', error);
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };
  const request = async (req: LoadRequest): Promise<LoadAnswer> => {
    const answer = await send(options.baseUrl, options.requestTimeoutMs, req);
    records.push(answer.record);
    return answer;
  };
  const ok = (answer: LoadAnswer) => answer.record.status >= 200 && answer.record.status < 300;
  const definite = (answer: LoadAnswer) => answer.record.status >= 400 && answer.record.status < 500;
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];
  const take = <T>(items: T[], item: T) => {
    const index = items.indexOf(item);
    if (index >= 0) items.splice(index, 1);
  };

  const createAccount = () => {
    accountsCreating += 1;
    fire(async () => {
      try {
        const owner = await newPerson(options.jwtSecret, run, 'owner');
        const answer = await request({
          kind: 'create-account',
          method: 'POST',
          path: '/v1/accounts',
          token: owner.token,
          body: { name: `Drill ${run}` },
        });
        const id = (answer.json as { id?: unknown } | null)?.id;
        if (ok(answer) && typeof id === 'string')
          accounts.push({ id, owner, position: answer.record.position ?? 0, shares: 0 });
      } finally {
        accountsCreating -= 1;
      }
    });
  };

  /** One action chosen among those whose preconditions hold now; it claims what it acts on synchronously. */
  const actions: Record<LoadKind, () => (() => void) | null> = {
    'create-account': () => createAccount,
    share: () => {
      const account = pick(accounts.filter((a) => a.shares < SHARES_PER_ACCOUNT));
      if (!account) return null;
      return () => {
        account.shares += 1;
        const role = pick(MEMBER_ROLES)!;
        fire(async () => {
          const invitee = await newPerson(options.jwtSecret, run, 'invitee');
          const answer = await request({
            kind: 'share',
            method: 'POST',
            path: `/v1/accounts/${account.id}/accesses?minPosition=${account.position}`,
            token: account.owner.token,
            body: {
              name: `Access ${invitee.userId.slice(0, 8)}`,
              type: 'delegate',
              scope: { type: 'global' },
              role,
              recipients: [invitee.email],
            },
          });
          const id = (answer.json as { invitations?: { id?: unknown }[] } | null)?.invitations?.[0]?.id;
          if (ok(answer) && typeof id === 'string')
            invitations.push({ account, invitee, id, role, position: answer.record.position ?? 0, listed: false });
        });
      };
    },
    accept: () => {
      const invitation = pick(invitations);
      if (!invitation) return null;
      return () => {
        take(invitations, invitation);
        fire(async () => {
          const answer = await request({
            kind: 'accept',
            method: 'POST',
            path: `/v1/invitations/${invitation.id}/accept?minPosition=${invitation.position}`,
            token: invitation.invitee.token,
          });
          if (ok(answer)) {
            members.push({
              account: invitation.account,
              person: invitation.invitee,
              role: invitation.role,
              acceptedAt: Date.now(),
              busy: false,
              known: null,
              uncertain: false,
            });
          }
        });
      };
    },
    'my-invitations': () => {
      const invitation = pick(invitations.filter((i) => !i.listed));
      if (!invitation) return null;
      return () => {
        invitation.listed = true;
        fire(async () => {
          await request({
            kind: 'my-invitations',
            method: 'GET',
            path: `/v1/me/invitations?minPosition=${invitation.position}`,
            token: invitation.invitee.token,
          });
        });
      };
    },
    'change-role': () => {
      const now = Date.now();
      const member = pick(members.filter((m) => !m.busy && !m.uncertain && now - m.acceptedAt >= JOIN_DELAY_MS));
      if (!member) return null;
      return () => {
        member.busy = true;
        const role = pick(MEMBER_ROLES.filter((r) => r !== member.role))!;
        fire(async () => {
          try {
            const answer = await request({
              kind: 'change-role',
              method: 'PATCH',
              path: `/v1/accounts/${member.account.id}/members/${encodeURIComponent(member.person.userId)}`,
              token: member.account.owner.token,
              body: { role },
            });
            if (ok(answer)) {
              member.role = role;
              member.known = { role, position: answer.record.position ?? 0 };
            } else if (!definite(answer)) member.uncertain = true;
          } finally {
            member.busy = false;
          }
        });
      };
    },
    'remove-member': () => {
      const now = Date.now();
      const member = pick(members.filter((m) => !m.busy && now - m.acceptedAt >= JOIN_DELAY_MS));
      if (!member) return null;
      return () => {
        member.busy = true;
        fire(async () => {
          try {
            const answer = await request({
              kind: 'remove-member',
              method: 'DELETE',
              path: `/v1/accounts/${member.account.id}/members/${encodeURIComponent(member.person.userId)}`,
              token: member.account.owner.token,
            });
            if (ok(answer)) {
              take(members, member);
              removed.push({
                account: member.account,
                person: member.person,
                position: answer.record.position ?? 0,
                busy: false,
              });
            } else if (!definite(answer)) take(members, member);
          } finally {
            member.busy = false;
          }
        });
      };
    },
    'issue-token': () => {
      const account = pick(accounts);
      if (!account) return null;
      return () =>
        fire(async () => {
          const answer = await request({
            kind: 'issue-token',
            method: 'POST',
            path: `/v1/accounts/${account.id}/tokens?minPosition=${account.position}`,
            token: account.owner.token,
            body: { name: `Drill token ${randomUUID().slice(0, 8)}` },
          });
          const id = (answer.json as { id?: unknown } | null)?.id;
          if (ok(answer) && typeof id === 'string') tokens.push({ account, id });
        });
    },
    'revoke-token': () => {
      const token = pick(tokens);
      if (!token) return null;
      return () => {
        take(tokens, token);
        fire(async () => {
          await request({
            kind: 'revoke-token',
            method: 'DELETE',
            path: `/v1/accounts/${token.account.id}/tokens/${token.id}`,
            token: token.account.owner.token,
          });
        });
      };
    },
    'authz-check': () => {
      const probes: (() => void)[] = [];
      const member = pick(members.filter((m) => !m.busy && !m.uncertain));
      if (member) probes.push(() => probeMember(member));
      const gone = pick(removed.filter((r) => !r.busy));
      if (gone) probes.push(() => probeRemoved(gone));
      const account = pick(accounts);
      if (account) probes.push(() => probeOwner(account));
      return pick(probes) ?? null;
    },
  };

  const authz = (person: LoadPerson, accountId: string, minPosition: number | undefined, expected?: boolean) =>
    request({
      kind: 'authz-check',
      method: 'POST',
      path: '/v1/authz/check',
      token: person.token,
      body: {
        accountId,
        userId: person.userId,
        permission: PROBE_PERMISSION,
        ...(minPosition === undefined ? {} : { minPosition }),
      },
      authz: {
        ...(minPosition === undefined ? {} : { minPosition }),
        ...(expected === undefined ? {} : { expectedAllowed: expected }),
      },
    });
  /** A member whose role a change-role set: at its position, the role's answer and no older one. */
  const probeMember = (member: Member) => {
    member.busy = true;
    const known = member.known;
    fire(async () => {
      try {
        if (known)
          await authz(
            member.person,
            member.account.id,
            known.position,
            roleAllows(known.role, PROBE_PERMISSION).allowed,
          );
        else await authz(member.person, member.account.id, undefined);
      } finally {
        member.busy = false;
      }
    });
  };
  /** A removed member, at the removal's position: never allowed any more. */
  const probeRemoved = (gone: Removed) => {
    gone.busy = true;
    fire(async () => {
      try {
        await authz(gone.person, gone.account.id, gone.position, false);
      } finally {
        gone.busy = false;
      }
    });
  };
  /** The root owner, at the account's creation: holds every permission. */
  const probeOwner = (account: Account) => {
    fire(async () => {
      await authz(account.owner, account.id, account.position, true);
    });
  };

  const next = () => {
    // Until a few accounts exist, accounts are what the load creates.
    if (accounts.length + accountsCreating < 3) return createAccount();
    const ready = (Object.keys(actions) as LoadKind[])
      .map((kind) => ({ weight: weights[kind] ?? 0, act: weights[kind] ? actions[kind]() : null }))
      .filter((c): c is { weight: number; act: () => void } => c.act !== null && c.weight > 0);
    const total = ready.reduce((sum, c) => sum + c.weight, 0);
    let roll = Math.random() * total;
    for (const candidate of ready) {
      roll -= candidate.weight;
      if (roll < 0) return candidate.act();
    }
    return createAccount();
  };

  const startedAt = Date.now();
  let started = 0;
  let stopped = false;
  // Every 10 ms: start as many requests as the rate owes by now (a late timer catches up).
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - startedAt) * options.ratePerSecond) / 1000);
    while (!stopped && started < due) {
      started += 1;
      next();
    }
  }, 10);

  return {
    records,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      return [...records].sort((a, b) => a.startedAt - b.startedAt);
    },
  };
}
