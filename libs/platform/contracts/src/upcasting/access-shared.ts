import type { AccessSharedData } from '../invitation/events';
import type { UpcastStep } from './upcast-step';

/** AccessShared as version 1 stored it: without `sharedAt`. */
type AccessSharedDataV1 = Omit<AccessSharedData, 'sharedAt'>;

/**
 * AccessShared v1 → v2. Version 1 left the share's instant implicit, and the invitation decider
 * rebuilt it as `expiresAt − expiryHours`, which is wrong as soon as the validity in force differs
 * from the one that decided (a changed default). The envelope's `occurredAt` is the command's `now`
 * (the command handler writes it so), i.e. exactly what version 2 stores as `sharedAt`.
 */
export const accessSharedAddsSharedAt: UpcastStep = {
  change: '`sharedAt` added; a version 1 event gets the envelope’s `occurredAt` (the instant the share was decided)',
  upcast: (envelope): AccessSharedData => ({
    ...(envelope.data as AccessSharedDataV1),
    sharedAt: envelope.occurredAt,
  }),
};
