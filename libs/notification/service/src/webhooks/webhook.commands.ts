import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  streams,
  subjects,
  type CommandMetadata,
  type CommandResult,
  type RegisterWebhookPayload,
  type WebhookRefPayload,
  type WebhookRegisteredResult,
} from '@accord/contracts';
import { commandHandlerFor, type CommandHandlerOf, type EventStore } from '@accord/eventstore';
import { askQuery, REQUEST_CLIENT, type RequestClient } from '@accord/messaging';
import { webhookEndpointsDecider, type DisableWebhookEndpoint } from '@accord/notification-domain';
import { EVENT_STORE } from '@accord/service-kit';
import { NOTIFICATION_OPTIONS, type NotificationServiceOptions } from '../notification-options';
import { requireUuid } from '../payload-checks';
import { WebhookDeliveries } from './webhook-deliveries';
import { mintWebhookSecret, secretFingerprint, WebhookSecrets } from './webhook-secrets';

/** The use cases of webhook endpoints (stream `webhook-<accountId>`). */
@Injectable()
export class WebhookCommands {
  private readonly decide: CommandHandlerOf<typeof webhookEndpointsDecider>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(REQUEST_CLIENT) private readonly requests: RequestClient,
    @Inject(NOTIFICATION_OPTIONS) private readonly options: NotificationServiceOptions,
    private readonly secrets: WebhookSecrets,
    private readonly deliveries: WebhookDeliveries,
  ) {
    this.decide = commandHandlerFor(store, { decider: webhookEndpointsDecider, streamOf: streams.webhook });
  }

  /**
   * NOT-11, NOT-12: the secret is minted here and stored encrypted BEFORE the event is appended
   * (an orphan row after a crash is harmless, an endpoint without its secret could never sign);
   * the event gets its prefix and hash, the reply the secret itself, once.
   */
  async register(
    payload: RegisterWebhookPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<WebhookRegisteredResult> {
    const accountId = requireUuid(payload?.accountId, 'accountId');
    const byOwner = await this.isOwner(accountId, metadata.actor.userId, minPosition);
    const endpointId = randomUUID();
    const secret = mintWebhookSecret();
    const fingerprint = secretFingerprint(secret);
    const command = {
      type: 'RegisterWebhookEndpoint' as const,
      data: {
        endpointId,
        accountId,
        url: payload.url,
        eventTypes: payload.eventTypes,
        ...fingerprint,
        by: metadata.actor.userId,
        via: metadata.actor.via,
        byOwner,
        allowLoopback: this.options.webhooks?.allowLoopback ?? false,
      },
    };
    // The input rules first (owner, URL, event types), so a refused registration stores no secret.
    webhookEndpointsDecider.decide(command, webhookEndpointsDecider.initialState());
    await this.secrets.store(endpointId, secret);
    const result = await this.decide(accountId, metadata, command);
    const registered = result.events[0];
    if (registered?.type !== 'WebhookEndpointRegistered') throw new Error('a registration decided no event');
    return {
      id: endpointId,
      url: registered.data.url,
      eventTypes: registered.data.eventTypes,
      status: 'active',
      secretPrefix: fingerprint.secretPrefix,
      createdAt: metadata.now,
      disabledAt: null,
      secret,
      position: result.position,
    };
  }

  /** An owner deletes an endpoint: what it had waiting is cancelled and its secret forgotten. */
  async delete(payload: WebhookRefPayload, metadata: CommandMetadata, minPosition?: number): Promise<CommandResult> {
    const accountId = requireUuid(payload?.accountId, 'accountId');
    const endpointId = requireUuid(payload?.endpointId, 'endpointId');
    const byOwner = await this.isOwner(accountId, metadata.actor.userId, minPosition);
    const result = await this.decide(accountId, metadata, {
      type: 'DeleteWebhookEndpoint',
      data: { endpointId, accountId, by: metadata.actor.userId, via: metadata.actor.via, byOwner },
    });
    await this.deliveries.cancelPendingOf(endpointId);
    await this.secrets.forget(endpointId);
    return { position: result.position };
  }

  /**
   * NOT-15: the worker gave a delivery up. Caused by the delivery (its id is the causation), so a
   * retry after a crash appends the same event id: disabled once.
   */
  async disable(data: DisableWebhookEndpoint['data'], deliveryId: string, now: string): Promise<void> {
    await this.decide(
      data.accountId,
      {
        actor: { userId: 'system', via: 'system' },
        now,
        correlationId: deliveryId,
        causationId: deliveryId,
      },
      { type: 'DisableWebhookEndpoint', data },
    );
  }

  /** Whether the membership service knows `userId` as an owner of the account (checked here again, not trusted). */
  async isOwner(accountId: string, userId: string, minPosition?: number): Promise<boolean> {
    const facts = await askQuery(this.requests, subjects.membership.grantFacts, { accountId, userId }, minPosition);
    return facts.member === true && facts.owner === true;
  }
}
