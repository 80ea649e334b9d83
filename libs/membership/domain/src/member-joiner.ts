import type { AccordEnvelope } from '@accord/contracts';
import type { AccountCommand } from './account';

export type AddMember = Extract<AccountCommand, { type: 'AddMember' }>;

/**
 * An accepted invitation makes its recipient a member of the account, with the role, scope,
 * permissions and environment-creation flag the access was shared with, and remembers which
 * access and invitation brought them in. Whether that is allowed (the account exists, the scope
 * names one of its billing accounts, the person is not already a member, the permissions are
 * grantable) is the Account decider's to say.
 */
export function memberJoiner(event: AccordEnvelope<'InvitationAccepted'>): AddMember {
  const {
    accountId,
    userId,
    email,
    role,
    scope,
    accessId,
    invitationId,
    permissions,
    mayCreateEnvironments,
    accessExpiresAt,
  } = event.data;
  return {
    type: 'AddMember',
    data: {
      accountId,
      userId,
      email,
      role,
      scope,
      accessId,
      invitationId,
      // INV-26, AUTHZ-16: exactly what the access granted; absent on accesses that granted nothing more.
      ...(permissions === undefined ? {} : { permissions }),
      ...(mayCreateEnvironments === undefined ? {} : { mayCreateEnvironments }),
      // INV-29: the member is removed when the access ends.
      ...(accessExpiresAt === undefined ? {} : { accessExpiresAt }),
    },
  };
}
