import { forbidden, invalid, type Actor, type Decider, type ImpersonationEvent } from '@accord/contracts';

// Seed 000 "For Admins": a platform admin may act as a user to help them, and everything done
// that way is on the record. Reads change no state, so their record is the only trace they
// leave: the gateway records each one here before it answers (no record, no answer).

export interface RecordImpersonatedRead {
  readonly type: 'RecordImpersonatedRead';
  readonly data: { readonly actor: Actor; readonly accountId: string | null; readonly route: string };
}

/** Longest route pattern recorded; the gateway's patterns are far shorter. */
export const MAX_ROUTE_LENGTH = 200;

/** The record of one read; refused unless the actor really is impersonating. */
export function recordImpersonatedRead(command: RecordImpersonatedRead): ImpersonationEvent {
  const { actor, accountId, route } = command.data;
  if (actor.via !== 'impersonation' || !actor.impersonatorId) {
    throw forbidden('impersonation.not_impersonating', 'Only reads made while impersonating are recorded.');
  }
  if (route.length === 0 || route.length > MAX_ROUTE_LENGTH) {
    throw invalid('route', 'impersonation.route_invalid', `A route has 1 to ${MAX_ROUTE_LENGTH} characters.`);
  }
  return { type: 'ImpersonatedReadRecorded', data: { accountId, impersonatorId: actor.impersonatorId, userId: actor.userId, route } };
}

/** Every read is its own record: the stream only orders them, no state decides anything. */
export const impersonationDecider: Decider<RecordImpersonatedRead, ImpersonationEvent, null> = {
  decide: (command) => [recordImpersonatedRead(command)],
  evolve: (state) => state,
  initialState: () => null,
};
