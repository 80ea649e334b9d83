import { InvalidArgumentError } from 'commander';
import { nanos, RetentionPolicy, StorageType, type JetStreamManager } from 'nats';
import { EVENTS_SUBJECT_ROOT } from '@accord/contracts';
import { isNotFound } from '@accord/messaging';
import { UsageError } from '../cli-errors';

/** A rerun inside this window publishes nothing twice (JetStream drops the repeated Nats-Msg-Id). */
export const REPLAY_DUPLICATE_WINDOW_MS = 24 * 60 * 60_000;

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** First subject tokens a replay may never publish under: Accord's own subjects, replies, the server's API. */
const RESERVED_ROOTS: readonly string[] = [EVENTS_SUBJECT_ROOT.split('.')[0]!, '_INBOX'];

/**
 * A replay's subject prefix: dot-separated tokens, no wildcard, and nowhere near Accord's own
 * subjects. A replay stream capturing `accord.events.>` would reach every live consumer as new
 * events; one capturing `accord.authz.>` or `_INBOX.>` would answer (and store) every request or
 * reply on the bus with a JetStream acknowledgement.
 */
export function replaySubjectPrefix(value: string): string {
  const tokens = value.split('.');
  if (value.length > 200 || !tokens.every((t) => TOKEN.test(t)))
    throw new InvalidArgumentError('expected dot-separated tokens of letters, digits, - and _ (e.g. replay.audit)');
  const root = tokens[0]!;
  if (RESERVED_ROOTS.includes(root) || root.startsWith('$'))
    throw new InvalidArgumentError(
      `must not sit under ${RESERVED_ROOTS.map((r) => `${r}.`).join(' or ')} (the live subjects, requests and replies)`,
    );
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
  // Dots are not allowed in stream names. A name shared by `a.b` and `a_b` is refused below; a
  // readable name is what the shipped NATS config can grant (deploy/nats/nats-server.conf).
  const name = `ACCORD_REPLAY_${prefix.replace(/\./g, '_')}`;
  try {
    await jsm.streams.add({
      name,
      subjects: [`${prefix}.>`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: nanos(REPLAY_DUPLICATE_WINDOW_MS),
    });
  } catch (error) {
    if (/already in use/i.test((error as Error).message))
      throw new UsageError(`Stream ${name} exists for another prefix; choose a prefix that does not map to ${name}.`);
    throw error;
  }
  return name;
}
