import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

// Namespace for ids derived from other ids (fixed forever: changing it would break idempotency).
const ACCORD_NAMESPACE = '6f3c1d2e-8a4b-4c7d-9e0f-1a2b3c4d5e6f';

/** Event ids for a user's command: fresh each time. */
export const randomEventId = () => randomUUID();

/**
 * Event ids for a reaction to `causeId`: the same cause always yields the same ids, so a
 * redelivered cause re-appends stored ids and the event store makes it a no-op.
 */
export const derivedEventId = (causeId: string) => (_event: unknown, index: number) =>
  uuidv5(`${causeId}/${index}`, ACCORD_NAMESPACE);
