import { Inject, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventEnvelope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import type { ConsumerHandle, EventConsumer } from '@accord/messaging';
import { persistingStatus } from '@accord/projections';
import { processHealth } from './consumer-health';
import { runWithLogContext } from './logging/log-context';
import { logContextOfEvent } from './logging/message-log-context';
import { SQL_CLIENT } from './tokens';

/**
 * A service's reaction to other events, on the profile's durable consumer (JetStream, or the
 * store in the embedded profile): at-least-once, resumed after restarts. `react` must be
 * idempotent — derive event ids from the cause (`derivedEventId`, which `commandHandlerFor` applies) and let the
 * decider no-op.
 * An event `react` keeps failing on is retried a bounded number of times, then this reaction stops
 * alone and is reported failed in the process's health registry (SEC-3b, SEC-3c) and in the
 * store's `consumer_failures` under `consumer:<name>` (what `accord projections status` reads from
 * another process); a restart after the fix resumes from that event.
 */
export abstract class DurableReaction implements OnApplicationBootstrap, OnApplicationShutdown {
  private handle: ConsumerHandle | null = null;
  /** Injected as a property so the reactions' constructors stay as they are; absent outside Nest. */
  @Optional() @Inject(SQL_CLIENT) private readonly statusSql?: SqlClient;

  protected constructor(
    private readonly consumer: EventConsumer,
    /** Durable name: one cursor shared by every replica. */
    private readonly name: string,
    private readonly types: readonly string[],
  ) {}

  abstract react(event: EventEnvelope): Promise<void>;

  async onApplicationBootstrap(): Promise<void> {
    this.handle = await this.consumer.consume({
      name: this.name,
      types: this.types,
      // A reaction logs with the ids of the event it reacts to (its cause).
      handler: (event) => runWithLogContext(logContextOfEvent(event), () => this.react(event)),
      health: this.statusSql ? persistingStatus(this.statusSql, `consumer:${this.name}`, processHealth) : processHealth,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.handle?.close();
  }
}

/** The metadata of a command caused by `event`: same actor, correlation and trace, caused by it. */
export function causedBy(event: EventEnvelope) {
  return {
    actor: event.actor,
    now: event.occurredAt,
    correlationId: event.correlationId,
    causationId: event.id,
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
  };
}
