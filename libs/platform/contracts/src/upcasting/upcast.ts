import type { EventEnvelope } from '../envelope';
import { upcastStepsOf } from './registry';

/**
 * The envelope at its type's current schema version: every step from its stored version applied in
 * order. Sits on every read (the store's rows, JetStream messages), so an envelope already current,
 * of an unknown type, or of a version newer than this reader knows (written by a newer deployment
 * during a rollout) is returned as is — the same object, no copy, and never an exception.
 */
export function upcast(envelope: EventEnvelope): EventEnvelope {
  const steps = upcastStepsOf(envelope.type);
  const stored = envelope.schemaVersion;
  if (!Number.isInteger(stored) || stored < 1 || stored > steps.length) return envelope;
  let current = envelope;
  for (let version = stored; version <= steps.length; version++) {
    current = { ...current, schemaVersion: version + 1, data: steps[version - 1]!.upcast(current) };
  }
  return current;
}
