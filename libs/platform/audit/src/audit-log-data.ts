import { withoutSecrets, type EventEnvelope } from '@accord/contracts';

/** The event's data for an audit log entry: a copy without links, hashes of tokens or secrets. */
export function auditLogData(event: EventEnvelope): unknown {
  return withoutSecrets(event.data);
}
