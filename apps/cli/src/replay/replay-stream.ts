import { InvalidArgumentError } from 'commander';
import { nanos, RetentionPolicy, StorageType, type JetStreamManager } from 'nats';
import { EVENTS_SUBJECT_ROOT } from '@accord/contracts';
import { isNotFound } from '@accord/messaging';

/** A rerun inside this window publishes nothing twice (JetStream drops the repeated Nats-Msg-Id). */
export const REPLAY_DUPLICATE_WINDOW_MS = 24 * 60 * 60_000;

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A replay's subject prefix: dot-separated tokens, no wildcard, and nowhere near the live
 * subjects: a replay on `accord.events…` would reach every live consumer as new events.
 */
export function replaySubjectPrefix(value: string): string {
  const tokens = value.split('.');
  if (value.length > 200 || !tokens.every((t) => TOKEN.test(t)))
    throw new InvalidArgumentError('expected dot-separated tokens of letters, digits, - and _ (e.g. replay.audit)');
  const live = EVENTS_SUBJECT_ROOT.split('.');
  // `accord` would capture accord.events.>, `accord.events.x` would sit inside it.
  if (tokens.every((t, i) => i >= live.length || t === live[i]))
    throw new InvalidArgumentError(`must not be, contain or sit under the live subjects ${EVENTS_SUBJECT_ROOT}`);
  return value;
}

/**
 * The JetStream stream that stores `<prefix>.>`: an existing one that already captures it (an
 * operator's), else `ACCORD_REPLAY_<prefix>` created for it. Returns its name.
 */
export async function ensureReplayStream(jsm: JetStreamManager, prefix: string): Promise<string> {
  try {
    return await jsm.streams.find(`${prefix}.x`);
  } catch (error) {
    if (!isNotFound(error) && !/no stream matches/i.test((error as Error).message)) throw error;
  }
  const name = `ACCORD_REPLAY_${prefix.replace(/\./g, '_')}`;
  await jsm.streams.add({
    name,
    subjects: [`${prefix}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(REPLAY_DUPLICATE_WINDOW_MS),
  });
  return name;
}
