import { tokenSubjects } from './api-token/subjects';
import { invitationSubjects } from './invitation/subjects';
import { authzSubjects, membershipSubjects } from './membership/subjects';
import { notificationSubjects } from './notification/subjects';
import { healthSubjects } from './shared/subjects';

export { queueGroups } from './shared/subjects';

/**
 * Request/reply subjects. Commands: `accord.cmd.<service>.<name>`; queries: `accord.query.…`.
 * What each one carries and answers is in `SubjectMap` (subject-map.ts).
 */
export const subjects = {
  membership: membershipSubjects,
  invitation: invitationSubjects,
  token: tokenSubjects,
  notification: notificationSubjects,
  authz: authzSubjects,
  health: healthSubjects,
} as const;

type ValuesOf<T> = T[keyof T];

/** Every subject's wire string. */
export type Subject = ValuesOf<{ readonly [Group in keyof typeof subjects]: ValuesOf<(typeof subjects)[Group]> }>;
