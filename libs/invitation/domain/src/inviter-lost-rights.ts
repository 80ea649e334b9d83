import type { MembershipEvent } from '@accord/contracts';
import type { RevokeInvitationsOfInviter } from './access';

/**
 * SEC-7a: an invitation dies with its sender's right to send it. Owners alone share
 * access (INV-1), so leaving, being removed or losing the owner role ends that right, and the
 * invitations the person sent are revoked; otherwise an owner could invite a second address of
 * their own as owner, leave, and come back through the invitation. Every other membership event,
 * and a role change that keeps or grants the owner role, asks for nothing.
 *
 * `occurredAt` is when the membership event happened: what the person sent after that (having
 * regained the right) is not theirs to lose, even if this reaction runs late or is replayed.
 */
export function inviterLostRights(event: MembershipEvent, occurredAt: string): RevokeInvitationsOfInviter | null {
  switch (event.type) {
    case 'MemberLeft':
      return revokeAllOf(event.data.accountId, event.data.userId, event.data.userId, occurredAt);
    case 'MemberRemoved':
      return revokeAllOf(event.data.accountId, event.data.userId, event.data.removedBy, occurredAt);
    case 'RoleChanged': {
      const { accountId, userId, from, to, changedBy } = event.data;
      return from === 'owner' && to !== 'owner' ? revokeAllOf(accountId, userId, changedBy, occurredAt) : null;
    }
    default:
      return null;
  }
}

function revokeAllOf(
  accountId: string,
  inviterId: string,
  revokedBy: string,
  lostRightsAt: string,
): RevokeInvitationsOfInviter {
  return { type: 'RevokeInvitationsOfInviter', data: { accountId, inviterId, revokedBy, lostRightsAt } };
}
