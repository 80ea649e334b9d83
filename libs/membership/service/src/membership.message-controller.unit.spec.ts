import type { MembershipEvent } from '@accord/contracts';
import { accountDecider, type AccountState } from '@accord/membership-domain';
import type { AuthzIndex } from './authz/authz-index';
import { MembershipMessageController } from './membership.message-controller';

// The grant facts responder (issue 8 rule 10) against an index that lags: it must never answer
// "not a member" from a model that has not caught up with the store, nor older than `minPosition`.

const acc = 'acc1';
const history: MembershipEvent[] = [
  { type: 'AccountCreated', data: { accountId: acc, name: 'Acme', rootOwner: { userId: 'root', email: 'root@x.io' } } },
  {
    type: 'MemberJoined',
    data: {
      accountId: acc,
      userId: 'mike',
      email: 'mike@x.io',
      role: 'administrator',
      scope: { type: 'global' },
      accessId: 'a',
      invitationId: 'i',
    },
  },
];
const state = history.reduce(accountDecider.evolve, accountDecider.initialState());

/** An index that knows the account only once it has been asked to catch up with the store. */
function laggingIndex(reachesMinPosition = true) {
  const calls = { ready: 0, catchUp: 0 };
  let caughtUp = false;
  const index = {
    readyForRequests: async () => void calls.ready++,
    waitFor: async () => reachesMinPosition,
    position: () => 0,
    catchUp: async () => {
      calls.catchUp++;
      caughtUp = true;
      return true;
    },
    account: (accountId: string): AccountState | undefined => (caughtUp && accountId === acc ? state : undefined),
  };
  return {
    calls,
    controller: new MembershipMessageController(
      null as never,
      null as never,
      null as never,
      index as unknown as AuthzIndex,
    ),
  };
}

describe('grant facts responder', () => {
  it('confirms "not a member" against a caught-up index before answering', async () => {
    const { calls, controller } = laggingIndex();
    const reply = await controller.grantFacts({
      payload: { accountId: acc, userId: 'mike', permissions: ['vps:manage'] },
    });
    expect(reply).toMatchObject({ ok: true, value: { member: true, role: 'administrator', held: [true] } });
    expect(calls).toEqual({ ready: 1, catchUp: 1 });
  });
  it('answers "not a member" only after catching up', async () => {
    const { calls, controller } = laggingIndex();
    expect(await controller.grantFacts({ payload: { accountId: acc, userId: 'stranger' } })).toMatchObject({
      ok: true,
      value: { member: false },
    });
    expect(calls.catchUp).toBe(1);
  });
  it('a position the index does not reach in time is `stale`, never an older answer', async () => {
    const { controller } = laggingIndex(false);
    expect(await controller.grantFacts({ payload: { accountId: acc, userId: 'mike' }, minPosition: 99 })).toMatchObject(
      { ok: false, error: { kind: 'stale' } },
    );
  });
  it('a malformed user id is refused before the index is asked anything', async () => {
    const { calls, controller } = laggingIndex();
    expect(await controller.grantFacts({ payload: { accountId: acc, userId: 'a/b' } })).toMatchObject({
      ok: false,
      error: { kind: 'validation', code: 'user.id_invalid' },
    });
    expect(calls).toEqual({ ready: 0, catchUp: 0 });
  });
});

describe('member access look-up (seed 003 support)', () => {
  it.each(['constructor', '__proto__'])('"%s" is no member', async (userId) => {
    const { controller } = laggingIndex();
    expect(await controller.memberAccess({ payload: { accountId: acc, userId } })).toMatchObject({
      ok: false,
      error: { kind: 'not_found', code: 'member.not_found' },
    });
  });
});
