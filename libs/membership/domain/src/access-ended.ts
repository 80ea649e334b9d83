import type { AccordEnvelope } from '@accord/contracts';
import type { RemoveAccessMembers } from './account';

/** The invitation context's events that end an access. */
export type AccessEndedEvent = AccordEnvelope<'AccessRevoked' | 'AccessExpired'>;

/**
 * INV-28, INV-29: an access that was revoked or ran out takes its members with it. A revocation
 * removes them on behalf of the owner who revoked; an expiry on behalf of the sharer, who set the
 * end date. The Account decider says who joined through it.
 */
export function accessEnded(event: AccessEndedEvent): RemoveAccessMembers {
  if (event.type === 'AccessRevoked') {
    const { accessId, revokedBy } = event.data;
    return { type: 'RemoveAccessMembers', data: { accessId, reason: 'access_revoked', by: revokedBy } };
  }
  const { accessId, sharedBy } = event.data;
  return { type: 'RemoveAccessMembers', data: { accessId, reason: 'access_expired', by: sharedBy } };
}
