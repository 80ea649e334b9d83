import { LIMITS, forbidden, invalid, type Actor, type Decider, type ImpersonationEvent } from '@accord/contracts';

// SEC-5a, SEC-5c: a platform admin may act as a user to help them, and everything done
// that way is on the record. Reads change no state, so their record is the only trace they
// leave: the gateway records each one here before it answers (no record, no answer).

export interface RecordImpersonatedRead {
  readonly type: 'RecordImpersonatedRead';
  readonly data: { readonly actor: Actor; readonly accountId: string | null; readonly route: string };
}

/** The record of one read; refused unless the actor really is impersonating. */
export function recordImpersonatedRead(command: RecordImpersonatedRead): ImpersonationEvent {
  const { actor, accountId, route } = command.data;
  if (actor.via !== 'impersonation' || !actor.impersonatorId) {
    throw forbidden('impersonation.not_impersonating', 'Only reads made while impersonating are recorded.');
  }
  if (route.length === 0 || route.length > LIMITS.impersonatedRoute) {
    throw invalid('route', 'impersonation.route_invalid', `A route has 1 to ${LIMITS.impersonatedRoute} characters.`);
  }
  return {
    type: 'ImpersonatedReadRecorded',
    data: { accountId, impersonatorId: actor.impersonatorId, userId: actor.userId, route },
  };
}

/** Every read is its own record: the stream only orders them, no state decides anything. */
export const impersonationDecider: Decider<RecordImpersonatedRead, ImpersonationEvent, null> = {
  decide: (command) => [recordImpersonatedRead(command)],
  evolve: (state) => state,
  initialState: () => null,
};
