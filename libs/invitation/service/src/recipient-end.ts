import type { AccordEnvelope, RecipientEndReason } from '@accord/contracts';

/** The membership events that end what a recipient gained by accepting (INV-24). */
export type MembershipEndEvent = AccordEnvelope<'MemberRemoved' | 'MemberLeft'>;

/**
 * Why a member's accepted invitations of that account ended: they left, or were removed — for a
 * cause the removal names when it names one (an access revoked or run out), else by an owner.
 */
export function recipientEndReason(event: MembershipEndEvent): RecipientEndReason {
  if (event.type === 'MemberLeft') return 'left';
  const data = event.data;
  // Removals that name their cause carry `reason`; those by an owner alone do not.
  switch (data.reason) {
    case 'access_revoked':
    case 'account_closed':
      return data.reason;
    case 'access_expired':
      return 'expired';
    default:
      return 'removed';
  }
}
