import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  forbidden,
  notFound,
  pageOf,
  pageRequestOf,
  subjects,
  type CommandRequest,
  type CommandResult,
  type ListWebhooksPayload,
  type Page,
  type QueryRequest,
  type RegisterWebhookPayload,
  type Reply,
  type WebhookAttemptView,
  type WebhookDeliveriesPayload,
  type WebhookRefPayload,
  type WebhookRegisteredResult,
  type WebhookTestResult,
  type WebhookView,
} from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { Handles } from '@accord/messaging';
import { awaitPosition, SQL_CLIENT, toReply } from '@accord/service-kit';
import { WebhookCommands } from './webhook.commands';
import { WebhookEndpointsReadModel } from './webhook.reactor';
import { WebhookWorker } from './webhook.worker';
import { requireUuid } from '../payload-checks';
import { WebhookDeliveries } from './webhook-deliveries';
import { endpointOf, type EndpointRow } from './webhook-endpoints.projection';

/** A UUID field of a payload that may be anything at all. */
function uuidOf(payload: unknown, field: string): string {
  return requireUuid((payload as Record<string, unknown> | null)?.[field], field);
}

const viewOf = (r: EndpointRow): WebhookView => ({
  id: r.endpoint_id,
  url: r.url,
  eventTypes: r.event_types,
  status: r.status === 'disabled' ? 'disabled' : 'active',
  secretPrefix: r.secret_prefix,
  createdAt: new Date(r.created_at).toISOString(),
  disabledAt: r.disabled_at === null ? null : new Date(r.disabled_at).toISOString(),
});

/** Webhook endpoints of an account and their deliveries (the gateway lets owners only through). */
@Controller()
export class WebhooksMessageController {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly commands: WebhookCommands,
    private readonly worker: WebhookWorker,
    private readonly deliveries: WebhookDeliveries,
    private readonly readModel: WebhookEndpointsReadModel,
  ) {}

  @Handles(subjects.notification.registerWebhook)
  register(@Payload() request: CommandRequest<RegisterWebhookPayload>): Promise<Reply<WebhookRegisteredResult>> {
    return toReply(() => this.commands.register(request.payload, request.metadata, request.minPosition));
  }

  @Handles(subjects.notification.deleteWebhook)
  delete(@Payload() request: CommandRequest<WebhookRefPayload>): Promise<Reply<CommandResult>> {
    return toReply(() => this.commands.delete(request.payload, request.metadata, request.minPosition));
  }

  /** Owners only, checked here again: a test sends to the endpoint's receiver now. */
  @Handles(subjects.notification.testWebhook)
  test(@Payload() request: CommandRequest<WebhookRefPayload>): Promise<Reply<WebhookTestResult>> {
    return toReply(async () => {
      const accountId = uuidOf(request.payload, 'accountId');
      const endpointId = uuidOf(request.payload, 'endpointId');
      if (!(await this.commands.isOwner(accountId, request.metadata.actor.userId, request.minPosition)))
        throw forbidden('webhook.owner_only', 'Only owners manage the webhooks of an account.');
      await awaitPosition(this.readModel, request.minPosition);
      return this.worker.sendTest({ accountId, endpointId }, request.metadata);
    });
  }

  /** The account's endpoints, oldest first (keyset over the registration's store position). */
  @Handles(subjects.notification.webhooks)
  list(@Payload() request: QueryRequest<ListWebhooksPayload>): Promise<Reply<Page<WebhookView>>> {
    return toReply(async () => {
      const accountId = uuidOf(request.payload, 'accountId');
      const page = pageRequestOf(request.payload, ['integer']);
      await awaitPosition(this.readModel, request.minPosition);
      const [after] = page.after ?? [0];
      const { rows } = await this.sql.query<EndpointRow>(
        `SELECT * FROM webhook_endpoints
          WHERE account_id = $1 AND status <> 'deleted' AND registered_position > $2
          ORDER BY registered_position LIMIT $3`,
        [accountId, after, page.limit + 1],
      );
      return pageOf(rows, page.limit, (r) => [Number(r.registered_position)], viewOf);
    });
  }

  /** NOT-16: one endpoint's attempts, newest first. */
  @Handles(subjects.notification.webhookDeliveries)
  deliveriesOf(@Payload() request: QueryRequest<WebhookDeliveriesPayload>): Promise<Reply<Page<WebhookAttemptView>>> {
    return toReply(async () => {
      const accountId = uuidOf(request.payload, 'accountId');
      const endpointId = uuidOf(request.payload, 'endpointId');
      const page = pageRequestOf(request.payload, ['instant', 'uuid']);
      await awaitPosition(this.readModel, request.minPosition);
      const endpoint = await endpointOf(this.sql, accountId, endpointId);
      if (!endpoint || endpoint.status === 'deleted')
        throw notFound('webhook.not_found', 'No such webhook endpoint in this account.');
      return this.deliveries.attemptsOf(endpointId, page);
    });
  }
}
