import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';

/** The machine's NATS (JetStream enabled); `NATS_URL` overrides it. */
export const TEST_NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/**
 * A prefix unique to this run (`t` + 10 hex chars): request subjects become `<prefix>.<subject>`,
 * events go to `<prefix>.events.…` in stream `<PREFIX>_EVENTS`, so parallel or leftover runs on
 * the shared NATS never see each other's messages.
 */
export function natsTestPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** Stream name and subject root for a prefix, to pass as `streamName`/`subjectRoot` options. */
export function testEventsStream(prefix: string, suffix = 'EVENTS'): { streamName: string; subjectRoot: string } {
  return { streamName: `${prefix.toUpperCase()}_${suffix}`, subjectRoot: `${prefix}.${suffix.toLowerCase()}` };
}

export function connectTestNats(name = 'accord-test'): Promise<NatsConnection> {
  return connect({ servers: TEST_NATS_URL, name });
}

/**
 * Deletes every JetStream stream of this run (named `<PREFIX>_…` or bound to `<prefix>.…`
 * subjects); deleting a stream deletes its consumers with it.
 */
export async function cleanupTestNats(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const upper = `${prefix.toUpperCase()}_`;
  for await (const stream of jsm.streams.list()) {
    const ours =
      stream.config.name.startsWith(upper) ||
      (stream.config.subjects ?? []).some((subject) => subject.startsWith(`${prefix}.`));
    if (ours) await jsm.streams.delete(stream.config.name);
  }
}
