import { tokenProjection } from '@accord/api-token-service';
import { invitationProjection } from '@accord/invitation-service';
import { membershipProjection } from '@accord/membership-service';
import {
  mailDirectoryProjection,
  notificationProjection,
  webhookEndpointsProjection,
} from '@accord/notification-service';
import { projectionCheckpointName, type Projection } from '@accord/projections';

/**
 * Every SQL read model the platform runs, for `accord projections status|rebuild`. The libraries
 * cannot list them (a shared lib never imports a context); a spec
 * (apps/platform/src/operations/read-models.int.spec.ts) checks this list against the
 * ProjectionRunner providers the embedded platform really starts.
 */
export const READ_MODELS: readonly Projection[] = [
  membershipProjection,
  invitationProjection,
  tokenProjection,
  notificationProjection,
  mailDirectoryProjection,
  webhookEndpointsProjection,
];

/**
 * Tables the read models' setups create that events do not derive — the tokens' last-use times
 * (batched from requests) and the inbox's read marks (the reader's own state). A rebuild neither
 * compares nor swaps them (pass as `notProjected`): they keep their live rows.
 */
export const NOT_PROJECTED_TABLES: readonly string[] = ['token_last_used', 'notification_inbox_reads'];

/** The durable names of the services' reactions (`DurableReaction`); their checkpoints are `consumer:<name>`. */
export const REACTORS: readonly string[] = [
  'membership-member-joiner',
  'membership-access-ended',
  'invitation-inviter-removed',
  'invitation-account-closed',
  'invitation-billing-account-deleted',
  'token-member-gone',
  'notification-mailer',
  'notification-webhooks',
];

/** The checkpoint names of every read model and reactor, for `readModelStatus` (those never started show too). */
export function knownConsumerNames(): string[] {
  return [
    ...READ_MODELS.map((projection) => projectionCheckpointName(projection.name)),
    ...REACTORS.map((name) => `consumer:${name}`),
  ];
}

/** The read model called `name` (`membership.members.v2`, or its checkpoint name), if any. */
export function readModelNamed(name: string): Projection | undefined {
  const bare = name.startsWith('projection:') ? name.slice('projection:'.length) : name;
  return READ_MODELS.find((projection) => projection.name === bare);
}
