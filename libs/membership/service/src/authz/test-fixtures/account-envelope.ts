import type { EventEnvelope, MembershipEvent } from '@accord/contracts';

/**
 * The `i`-th event of account `accountId`'s stream as the store would deliver it, for specs that
 * feed the authorization index a history without a store.
 */
export function accountEnvelope(accountId: string, event: MembershipEvent, i: number): EventEnvelope {
  return {
    id: `e${i}`,
    type: event.type,
    schemaVersion: 1,
    streamId: `account-${accountId}`,
    streamPosition: i,
    globalPosition: i + 1,
    occurredAt: '2026-01-01T00:00:00.000Z',
    accountId,
    actor: { userId: 'root', via: 'session' },
    correlationId: 'c',
    causationId: null,
    data: event.data,
  } as EventEnvelope;
}
