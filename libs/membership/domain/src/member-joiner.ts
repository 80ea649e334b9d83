import type { AccordEnvelope } from '@accord/contracts';
import type { AccountCommand } from './account';

export type AddMember = Extract<AccountCommand, { type: 'AddMember' }>;

/**
 * An accepted invitation makes its recipient a member of the account, with the role and scope
 * the access was shared with, and remembers which access and invitation brought them in. Whether
 * that is allowed (the account exists, the scope names one of its billing accounts, the person is
 * not already a member) is the Account decider's to say.
 */
export function memberJoiner(event: AccordEnvelope<'InvitationAccepted'>): AddMember {
  const { accountId, userId, email, role, scope, accessId, invitationId } = event.data;
  return { type: 'AddMember', data: { accountId, userId, email, role, scope, accessId, invitationId } };
}
