import { upcast, type EventEnvelope } from '@accord/contracts';
import { Logger } from '@nestjs/common';
import type { ConsumerConfig, ConsumerInfo, ConsumerMessages, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import { backoffDelay, DEFAULT_MAX_ATTEMPTS, describeError, describeFailure, failureOf } from './backoff';
import type {
  ConsumeOptions,
  ConsumerFailure,
  ConsumerHandle,
  ConsumerStatusReporter,
  EventConsumer,
} from './event-consumer';
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
  /** Failed deliveries of one message (in this process) before the consumer stops; default 8. */
  readonly maxAttempts?: number;
  /** Health registry for consumers that do not name their own. */
  readonly health?: ConsumerStatusReporter;
}

/**
 * `EventConsumer` over a durable JetStream pull consumer (DESIGN.md "Event flow" 4). The durable
 * name is the cursor: every replica that consumes under the same name shares it (each event goes
 * to one of them), and a restart resumes after the last acknowledged event.
 *
 * At-least-once: an event is acknowledged only after the handler resolved; a throw naks it with a
 * growing (capped) delay and it comes back. While one event waits for redelivery the following
 * ones go on, so handlers must be idempotent (dedup by event id) and must not assume strict order
 * across retries.
 *
 * Bounded (SEC-3b): after `maxAttempts` failed deliveries of the same message to this
 * process, the consumer stops pulling ALONE and is reported `failed`. The message is left unacked
 * (never term()'d, never dropped; the server keeps max_deliver -1) so the ack floor stays before it
 * and it comes back after a restart, which counts its attempts afresh. Other consumers go on.
 */
export class JetStreamEventConsumer implements EventConsumer {
  private readonly logger = new Logger('JetStreamEventConsumer');
  private readonly stream: ResolvedEventsStream;

  constructor(private readonly options: JetStreamEventConsumerOptions) {
    this.stream = resolveEventsStream(options);
  }

  async consume({ name, types, handler, health, maxAttempts }: ConsumeOptions): Promise<ConsumerHandle> {
    if (!/^[A-Za-z0-9_-]+$/.test(name))
      throw new Error(`Consumer name "${name}" may only use letters, digits, '-' and '_'`);
    const jsm = await this.options.nats.jetstreamManager();
    // A service may boot before the relay: create the stream with the relay's defaults if missing.
    await ensureEventsStreamExists(jsm, { ...this.stream, duplicateWindowMs: DEFAULT_DUPLICATE_WINDOW_MS });
    await this.upsertDurable(jsm, name, types);

    const consumer = await this.options.nats.jetstream().consumers.get(this.stream.streamName, name);
    const messages = await consumer.consume({ max_messages: this.options.batchSize ?? 10 });
    const reporter = health ?? this.options.health;
    const state: ConsumerState = {
      name,
      wanted: new Set(types),
      handler,
      maxAttempts: Math.max(1, maxAttempts ?? this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      failures: new Map(),
      stopped: false,
    };
    reporter?.report(name, { state: 'running' });
    let closing = false;
    const loop = (async () => {
      try {
        for await (const msg of messages) {
          // Pulled but not started before close (or after this consumer stopped on a bad event):
          // hand it back now rather than after ack_wait.
          if (closing || state.stopped) msg.nak();
          else {
            const failure = await this.process(msg, state, reporter);
            if (failure) {
              state.stopped = true;
              reporter?.report(name, { state: 'failed', ...failure });
              void closeQuietly(messages);
            }
          }
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

  /** Handles one message; returns the failure when this consumer must stop on it. */
  private async process(
    msg: JsMsg,
    state: ConsumerState,
    reporter?: ConsumerStatusReporter,
  ): Promise<ConsumerFailure | null> {
    const { wanted, handler } = state;
    let event: EventEnvelope;
    try {
      // The relay publishes events upcast, but JetStream may still hold messages published before
      // a type's latest schema version: handlers see the current version either way.
      event = upcast(JSON.parse(new TextDecoder().decode(msg.data)) as EventEnvelope);
    } catch {
      // Can never succeed: terminate instead of redelivering it forever.
      this.logger.error(`Unparseable message ${msg.seq} on ${msg.subject}: terminated`);
      msg.term('not an event envelope');
      return null;
    }
    // Only possible when the filter had to be wider than the wanted types (NATS < 2.10).
    if (!wanted.has(event.type)) {
      await ackQuietly(msg);
      return null;
    }
    const ackWaitMs = this.options.ackWaitMs ?? 30_000;
    // A slow handler is still working: tell JetStream so it does not redeliver to another replica.
    const keepAlive = setInterval(() => msg.working(), Math.max(100, Math.floor(ackWaitMs / 2)));
    const seq = msg.info.streamSequence;
    try {
      await handler(event);
    } catch (error) {
      // Counted here rather than by deliveryCount: a restart gives the event a fresh series of
      // attempts (it may have been fixed), and a redelivery after a crash is not a failure.
      const failures = (state.failures.get(seq) ?? 0) + 1;
      if (failures >= state.maxAttempts) {
        state.failures.delete(seq);
        // Left unacked on purpose (no nak, no term): it stays the consumer's first unacked event
        // and is redelivered after ack_wait or a restart.
        const failure = failureOf(event, error);
        this.logger.error(describeFailure(`Consumer ${state.name}`, failure, failures));
        return failure;
      }
      state.failures.set(seq, failures);
      const delay = backoffDelay(failures, this.options.nakDelayMs ?? 1_000, this.options.maxNakDelayMs ?? 30_000);
      this.logger.warn(
        `Consumer ${state.name}: handler failed for ${event.type} ${event.id} at position ${event.globalPosition} ` +
          `(attempt ${failures}/${state.maxAttempts}, delivery ${msg.info.deliveryCount}); retry in ${delay} ms: ${describeError(error)}`,
      );
      msg.nak(delay);
      return null;
    } finally {
      clearInterval(keepAlive);
    }
    state.failures.delete(seq);
    await ackQuietly(msg);
    // JetStream counts what is still pending for this durable (its filter only): the lag in events.
    reporter?.progressed?.(state.name, {
      position: event.globalPosition,
      occurredAt: event.occurredAt,
      pending: msg.info.pending,
    });
    return null;
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
      throw new Error(
        `Durable consumer ${name} exists with another configuration and cannot be updated (${describeError(error)}); delete it or pick a new name`,
      );
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

interface ConsumerState {
  readonly name: string;
  readonly wanted: ReadonlySet<string>;
  readonly handler: ConsumeOptions['handler'];
  readonly maxAttempts: number;
  /** Failed attempts per stream sequence, in this process. */
  readonly failures: Map<number, number>;
  stopped: boolean;
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
