import type { EventEnvelope } from '@accord/contracts';
import type { NatsConnection } from 'nats';
import { waitFor } from './wait';

export interface StreamedEvent {
  readonly subject: string;
  readonly msgId: string | undefined;
  readonly envelope: EventEnvelope;
}

/**
 * What an outside service sees: an ordered (ephemeral) consumer bound to the stream reads every
 * message from the start. Waits until `expected` messages arrived, then a little longer so extra
 * (duplicate) messages would be caught too.
 */
export async function readWholeStream(
  nc: NatsConnection,
  streamName: string,
  expected: number,
  timeoutMs = 10_000,
): Promise<StreamedEvent[]> {
  // The relay creates the stream once it runs: wait for it.
  await waitFor(`stream ${streamName}`, () =>
    streamMessageCount(nc, streamName).then(
      () => true,
      () => false,
    ),
  );
  const consumer = await nc.jetstream().consumers.get(streamName);
  const messages = await consumer.consume({ max_messages: 500 });
  const seen: StreamedEvent[] = [];
  const timer = setTimeout(() => void messages.close(), timeoutMs);
  let grace: NodeJS.Timeout | undefined;
  for await (const m of messages) {
    seen.push({
      subject: m.subject,
      msgId: m.headers?.get('Nats-Msg-Id'),
      envelope: JSON.parse(new TextDecoder().decode(m.data)) as EventEnvelope,
    });
    if (seen.length === expected) grace = setTimeout(() => void messages.close(), 300);
  }
  clearTimeout(timer);
  clearTimeout(grace);
  return seen;
}

export async function streamMessageCount(nc: NatsConnection, streamName: string): Promise<number> {
  const info = await (await nc.jetstreamManager()).streams.info(streamName);
  return info.state.messages;
}
