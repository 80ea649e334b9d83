import { DeliverPolicy, connect, headers, type NatsConnection } from 'nats';

/** The suffix of the Nats-Msg-Id of every copy the proxy publishes. */
const COPY = ':drill-copy';

/** A message the duplicating proxy put in the stream (the stream check leaves those out). */
export const isDrillCopy = (msgId: string): boolean => msgId.endsWith(COPY);

export interface DuplicatingProxy {
  /** Copies published so far. */
  readonly copies: () => number;
  stop(): Promise<void>;
}

/**
 * Delivers every event twice to every consumer: it reads each new message of the events stream and
 * publishes a copy on the same subject, with the same envelope and a Nats-Msg-Id of its own (or
 * JetStream would drop it as the duplicate it is). Each consumer then receives the event twice,
 * as after a redelivery, and must act once.
 */
export async function startDuplicatingProxy(natsUrl: string, streamName: string): Promise<DuplicatingProxy> {
  const nc: NatsConnection = await connect({ servers: natsUrl, name: 'drill-duplicating-proxy' });
  const js = nc.jetstream();
  const info = await (await nc.jetstreamManager()).streams.info(streamName);
  const consumer = await js.consumers.get(streamName, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: info.state.last_seq + 1,
  });
  const messages = await consumer.consume();
  let copies = 0;
  const running = (async () => {
    for await (const message of messages) {
      const id = message.headers?.get('Nats-Msg-Id') ?? '';
      if (!id || isDrillCopy(id)) continue;
      const copyHeaders = headers();
      for (const [key, values] of message.headers ?? []) for (const value of values) copyHeaders.append(key, value);
      copyHeaders.set('Nats-Msg-Id', `${id}${COPY}`);
      await js.publish(message.subject, message.data, { headers: copyHeaders }).then(
        () => void (copies += 1),
        () => undefined, // a copy lost while NATS is away is only one duplicate fewer
      );
    }
  })();
  return {
    copies: () => copies,
    async stop() {
      await messages.close();
      await running.catch(() => undefined);
      await nc.drain().catch(() => undefined);
    },
  };
}
