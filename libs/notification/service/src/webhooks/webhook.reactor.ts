import { Inject, Injectable } from '@nestjs/common';
import { EVENT_CONTEXT, type EventEnvelope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
import { subscribersOf, webhookPayloadOf } from '@accord/notification-domain';
import { DurableReaction, ManagedProjection, SQL_CLIENT } from '@accord/service-kit';
import { NOTIFICATION_OPTIONS, type NotificationServiceOptions } from '../notification-options';
import { WebhookDeliveries } from './webhook-deliveries';
import { subscriptionsOf, webhookEndpointsProjection } from './webhook-endpoints.projection';

/** The endpoints read model, kept up to date while the service runs. */
export class WebhookEndpointsReadModel extends ManagedProjection(webhookEndpointsProjection) {}

/**
 * Runs the rule `subscribersOf` (notification domain) over every event, like e-mail: a
 * checkpointed consumer of the store, at-least-once. It only queues — one delivery per (event,
 * endpoint), so a redelivered event queues nothing twice (NOT-14); the worker sends. The endpoints
 * are read once their read model has applied this very event, so an endpoint gets the events that
 * happened while it was registered, no earlier, no later.
 */
@Injectable()
export class WebhookReactor extends DurableReaction {
  private readonly clock: () => Date;

  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(NOTIFICATION_OPTIONS) options: NotificationServiceOptions,
    private readonly deliveries: WebhookDeliveries,
    private readonly endpoints: WebhookEndpointsReadModel,
  ) {
    super(consumer, 'notification-webhooks', Object.keys(EVENT_CONTEXT));
    this.clock = options.webhooks?.clock ?? (() => new Date());
  }

  async react(event: EventEnvelope): Promise<void> {
    if (event.accountId === null) return;
    if (!(await this.endpoints.waitFor(event.globalPosition, 10_000)))
      throw new Error('webhook endpoints behind; retry');
    const subscribers = subscribersOf(event, await subscriptionsOf(this.sql, event.accountId));
    if (subscribers.length === 0) return;
    const body = JSON.stringify(webhookPayloadOf(event));
    for (const endpoint of subscribers) {
      await this.deliveries.enqueue(
        { endpointId: endpoint.endpointId, accountId: event.accountId, eventId: event.id, eventType: event.type, body },
        this.clock(),
      );
    }
  }
}
