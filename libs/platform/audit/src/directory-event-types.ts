import type { AccordEventType } from '@accord/contracts';

/**
 * The event types whose data name a user id together with an e-mail: the only ones
 * `AuditDirectory.learn` learns anything from, so a reader building a directory reads these and
 * skips the rest of the history. directory-event-types.unit.spec.ts checks the list against every
 * type's example and schema, so a new type carrying an e-mail cannot be left out.
 */
export const DIRECTORY_EVENT_TYPES: readonly AccordEventType[] = [
  'AccountCreated',
  'MemberJoined',
  'MemberRemoved',
  'MemberLeft',
  'RoleChanged',
  'InvitationAccepted',
  'InvitationDeclined',
  'ApiTokenIssued',
];
