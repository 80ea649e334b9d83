import { setTimeout as sleep } from 'node:timers/promises';
import { createEventStore, type EventStore, type SqlClient } from '@accord/eventstore';
import { startMembershipService } from '@accord/membership-service';

/** Instants between the steps of the seeded story, and the ids of what happened. */
export interface SeededStory {
  readonly accountId: string;
  readonly ownerId: string;
  readonly memberId: string;
  readonly beforeJoin: string;
  readonly whileAccountant: string;
  readonly whileAdministrator: string;
  readonly afterRemoval: string;
}

const OWNER = 'auth0|olivia';
const MEMBER = 'auth0|mike';

/**
 * Writes a small real history through the membership service (its deciders, its read model): an
 * account, a member who joins as accountant, is made administrator, then removed. Instants are
 * taken between the steps so `access-at` can be asked about each stretch.
 */
export async function seedStory(sql: SqlClient): Promise<SeededStory> {
  const store: EventStore = await createEventStore(sql);
  const membership = await startMembershipService(store, sql);
  const members = membership.members;
  const instant = async () => {
    await sleep(5);
    const at = new Date().toISOString();
    await sleep(5);
    return at;
  };
  try {
    const accountId = await members.account(OWNER);
    const beforeJoin = await instant();
    await members.join(accountId, MEMBER, 'accountant');
    const whileAccountant = await instant();
    await members.change(accountId, MEMBER, { role: 'administrator' }, OWNER);
    const whileAdministrator = await instant();
    await members.remove(accountId, MEMBER, OWNER);
    const afterRemoval = await instant();
    // The read model must have caught up before the specs compare it with a rebuild.
    if (!(await membership.readModelCaughtUp())) throw new Error('the membership read model did not catch up');
    return {
      accountId,
      ownerId: OWNER,
      memberId: MEMBER,
      beforeJoin,
      whileAccountant,
      whileAdministrator,
      afterRemoval,
    };
  } finally {
    await membership.app.close();
    await store.close();
  }
}
