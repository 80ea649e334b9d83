import type { EventEnvelope } from '@accord/contracts';
import { Logger } from '@nestjs/common';
import type { ConsumerConfig, ConsumerInfo, ConsumerMessages, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import { backoffDelay, describeError } from './backoff';
import type { ConsumeOptions, ConsumerHandle, EventConsumer } from './event-consumer';
import {
  DEFAULT_DUPLICATE_WINDOW_MS,
  ensureEventsStreamExists,
  eventTypeFilter,
  isNotFound,
  resolveEventsStream,
  type EventsStreamOptions,
  type ResolvedEventsStream,
} from './events-stream';

export interface JetStreamEventConsumerOptions extends EventsStreamOptions {
  /** Owned by the caller: closing a handle does not close the connection. */
  readonly nats: NatsConnection;
  /** Time the handler has before JetStream redelivers elsewhere; kept alive while it runs. Default 30 s. */
  readonly ackWaitMs?: number;
  /** First redelivery delay after a handler throws; doubles per delivery up to `maxNakDelayMs`. Default 1 s. */
  readonly nakDelayMs?: number;
  readonly maxNakDelayMs?: number;
  /** Messages pulled ahead of the handler; unprocessed ones are handed back on close. Default 10. */
  readonly batchSize?: number;
}

/**
 * `EventConsumer` over a durable JetStream pull consumer (DESIGN.md "Event flow" 4). The durable
 * name is the cursor: every replica that consumes under the same name shares it (each event goes
 * to one of them), and a restart resumes after the last acknowledged event.
 *
 * At-least-once: an event is acknowledged only after the handler resolved; a throw naks it with a
 * growing delay and it comes back, without limit (max_deliver -1): an event is never dropped
 * because a dependency was down. While one event waits for redelivery the following ones go on, so
 * handlers must be idempotent (dedup by event id) and must not assume strict order across retries.
 */
export class JetStreamEventConsumer implements EventConsumer {
  private readonly logger = new Logger('JetStreamEventConsumer');
  private readonly stream: ResolvedEventsStream;

  constructor(private readonly options: JetStreamEventConsumerOptions) {
    this.stream = resolveEventsStream(options);
  }

  async consume({ name, types, handler }: ConsumeOptions): Promise<ConsumerHandle> {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`Consumer name "${name}" may only use letters, digits, '-' and '_'`);
    const jsm = await this.options.nats.jetstreamManager();
    // A service may boot before the relay: create the stream with the relay's defaults if missing.
    await ensureEventsStreamExists(jsm, { ...this.stream, duplicateWindowMs: DEFAULT_DUPLICATE_WINDOW_MS });
    await this.upsertDurable(jsm, name, types);

    const consumer = await this.options.nats.jetstream().consumers.get(this.stream.streamName, name);
    const messages = await consumer.consume({ max_messages: this.options.batchSize ?? 10 });
    const wanted = new Set(types);
    let closing = false;
    const loop = (async () => {
      try {
        for await (const msg of messages) {
          // Pulled but not started before close: hand it back now rather than after ack_wait.
          if (closing) msg.nak();
          else await this.process(msg, wanted, handler);
        }
      } catch (error) {
        this.logger.error(`Consumer ${name} stopped: ${describeError(error)}`);
      }
    })();

    return {
      close: async () => {
        closing = true;
        await closeQuietly(messages);
        await loop;
      },
    };
  }

  private async process(msg: JsMsg, wanted: ReadonlySet<string>, handler: ConsumeOptions['handler']): Promise<void> {
    let event: EventEnvelope;
    try {
      event = JSON.parse(new TextDecoder().decode(msg.data)) as EventEnvelope;
    } catch {
      // Can never succeed: terminate instead of redelivering it forever.
      this.logger.error(`Unparseable message ${msg.seq} on ${msg.subject}: terminated`);
      msg.term('not an event envelope');
      return;
    }
    // Only possible when the filter had to be wider than the wanted types (NATS < 2.10).
    if (!wanted.has(event.type)) {
      await ackQuietly(msg);
      return;
    }
    const ackWaitMs = this.options.ackWaitMs ?? 30_000;
    // A slow handler is still working: tell JetStream so it does not redeliver to another replica.
    const keepAlive = setInterval(() => msg.working(), Math.max(100, Math.floor(ackWaitMs / 2)));
    try {
      await handler(event);
    } catch (error) {
      const delay = backoffDelay(msg.info.deliveryCount, this.options.nakDelayMs ?? 1_000, this.options.maxNakDelayMs ?? 60_000);
      this.logger.warn(`Handler failed for ${event.type} ${event.id} (delivery ${msg.info.deliveryCount}); retry in ${delay} ms: ${describeError(error)}`);
      msg.nak(delay);
      return;
    } finally {
      clearInterval(keepAlive);
    }
    await ackQuietly(msg);
  }

  /** Creates the durable consumer, or aligns an existing one with this code's filter and timings. */
  private async upsertDurable(jsm: JetStreamManager, name: string, types: readonly string[]): Promise<void> {
    const filter = this.filterFor(types);
    const config: Partial<ConsumerConfig> = {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.options.ackWaitMs ?? 30_000),
      max_deliver: -1,
      ...filter,
    };
    const existing = await consumerInfoOrNull(jsm, this.stream.streamName, name);
    if (!existing) {
      await jsm.consumers.add(this.stream.streamName, config);
      return;
    }
    if (sameConsumerConfig(existing, config)) return;
    try {
      await jsm.consumers.update(this.stream.streamName, name, {
        ack_wait: config.ack_wait,
        max_deliver: config.max_deliver,
        ...filter,
      });
    } catch (error) {
      throw new Error(`Durable consumer ${name} exists with another configuration and cannot be updated (${describeError(error)}); delete it or pick a new name`);
    }
  }

  /**
   * One subject per wanted type, whatever its context. NATS 2.10+ takes several filters; on older
   * servers a single type is still filtered server-side, several types fall back to the whole
   * stream and the others are acknowledged and skipped here.
   */
  private filterFor(types: readonly string[]): Pick<ConsumerConfig, 'filter_subject' | 'filter_subjects'> {
    const subjects = [...new Set(types)].map((type) => eventTypeFilter(this.stream.subjectRoot, type));
    if (subjects.length === 1) return { filter_subject: subjects[0] };
    if (subjects.length > 1 && supportsMultipleFilters(this.options.nats)) return { filter_subjects: subjects };
    return { filter_subject: `${this.stream.subjectRoot}.>` };
  }
}

function supportsMultipleFilters(nats: NatsConnection): boolean {
  const [major = 0, minor = 0] = (nats.info?.version ?? '0.0.0').split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 10);
}

function sameConsumerConfig(info: ConsumerInfo, wanted: Partial<ConsumerConfig>): boolean {
  const c = info.config;
  return (
    c.ack_wait === wanted.ack_wait &&
    c.max_deliver === wanted.max_deliver &&
    (c.filter_subject ?? '') === (wanted.filter_subject ?? '') &&
    JSON.stringify(c.filter_subjects ?? []) === JSON.stringify(wanted.filter_subjects ?? [])
  );
}

async function consumerInfoOrNull(jsm: JetStreamManager, stream: string, name: string): Promise<ConsumerInfo | null> {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * `ackAck` waits for the server to confirm, so once `close()` returns, a restarted consumer is
 * guaranteed not to see the acknowledged events again. If the confirmation is lost the event is
 * simply redelivered: handlers are idempotent.
 */
async function ackQuietly(msg: JsMsg): Promise<void> {
  try {
    await msg.ackAck();
  } catch {
    // redelivered after ack_wait; idempotent handler absorbs it
  }
}

async function closeQuietly(messages: ConsumerMessages): Promise<void> {
  try {
    await messages.close();
  } catch {
    // already closed (connection gone): nothing to hand back
  }
}
