import type { EventEnvelope } from '@accord/contracts';
import type { NewEvent } from '@accord/eventstore';
import { v4 as uuid } from 'uuid';

let position = 0;

/** A complete envelope, as the relay would publish it, for tests that feed JetStream directly. */
export function envelope(type: string, data: unknown = {}): EventEnvelope {
  position += 1;
  return {
    id: uuid(),
    type,
    schemaVersion: 1,
    streamId: `account-${uuid()}`,
    streamPosition: 0,
    globalPosition: position,
    occurredAt: new Date().toISOString(),
    accountId: 'acc-1',
    actor: { userId: 'user-1', via: 'session' },
    correlationId: uuid(),
    causationId: null,
    data,
  };
}

/** An event to append to the store. */
export function newEvent(type: string, data: unknown = {}): NewEvent {
  return {
    id: uuid(),
    type,
    data,
    metadata: {
      accountId: 'acc-1',
      actor: { userId: 'user-1', via: 'session' },
      correlationId: uuid(),
      causationId: null,
      occurredAt: new Date().toISOString(),
    },
  };
}
