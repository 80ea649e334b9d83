import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  subjects,
  type CommandResult,
  type RegisterWebhookPayload,
  type WebhookAttemptView,
  type WebhookRegisteredResult,
  type WebhookTestResult,
  type WebhookView,
} from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { HiddenFromImpersonation } from '../auth/caller-policy';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_WEBHOOKS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { ApiPage, Paged, type PageBody, type Paging } from '../http/pagination';
import { PathId } from '../http/path-id.pipe';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';
import { RegisterWebhookDto, WebhookAttemptDoc, WebhookRegisteredDoc, WebhookViewDoc } from './webhook.dto';

const WEBHOOK_LIST = { name: 'webhooks', key: ['integer'] } as const;
const DELIVERY_LIST = { name: 'webhook-deliveries', key: ['instant', 'uuid'] } as const;

/**
 * NOT-11 … NOT-16: webhook endpoints for clients that do not speak NATS. Owners only: an endpoint
 * receives the account's events, so whoever registers one reads what the audit log shows.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@ApiProblems()
@HiddenFromImpersonation()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/webhooks')
export class WebhooksHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  @Post()
  @ApiMinPosition()
  @ApiCreatedResponse({ type: WebhookRegisteredDoc })
  @ApiOperation({
    operationId: 'registerWebhook',
    summary: 'Register a webhook endpoint; its signing secret is in this answer only',
    description:
      'Deliveries follow the Standard Webhooks specification: a POST of the event’s public envelope (secrets ' +
      'removed) with `webhook-id` (the event id), `webhook-timestamp` and `webhook-signature`. Only events of this ' +
      'account and of the subscribed types are delivered; a failing receiver is retried with a doubling delay for ' +
      '24 hours, then the endpoint is disabled and the owners are notified.',
  })
  @ApiProblems(
    [400, 'Invalid input, naming the field (`url`: https only, no credentials; `eventTypes`: known types)'],
    401,
    403,
    404,
    [409, 'At most 20 endpoints per account (`webhook.too_many`)'],
    422,
  )
  async register(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: RegisterWebhookDto,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<WebhookRegisteredResult> {
    await this.authorizer.require(caller, accountId, MANAGE_WEBHOOKS, minPosition);
    const payload: RegisterWebhookPayload = { accountId, url: body.url, eventTypes: body.eventTypes };
    return this.dispatcher.command(subjects.notification.registerWebhook, payload, caller, minPosition);
  }

  @Get()
  @ApiMinPosition()
  @ApiPage(WebhookViewDoc, 'WebhookPage')
  @ApiOperation({
    operationId: 'listWebhooks',
    summary: 'List the account’s webhook endpoints, oldest first (never their secrets)',
  })
  @ApiProblems(400, 401, 403, 404)
  async list(
    @Param('accountId', new PathId('account')) accountId: string,
    @Paged(WEBHOOK_LIST) paging: Paging,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<PageBody<WebhookView>> {
    await this.authorizer.require(caller, accountId, MANAGE_WEBHOOKS, minPosition);
    const payload = { accountId, limit: paging.limit, ...(paging.after ? { after: paging.after } : {}) };
    return paging.answer(await this.dispatcher.query(subjects.notification.webhooks, payload, minPosition));
  }

  @Delete(':webhookId')
  @HttpCode(200)
  @ApiMinPosition()
  @ApiOperation({ operationId: 'deleteWebhook', summary: 'Delete a webhook endpoint: nothing more is sent to it' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async delete(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('webhookId', new PathId('webhook')) webhookId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<CommandResult> {
    await this.authorizer.require(caller, accountId, MANAGE_WEBHOOKS, minPosition);
    const payload = { accountId, endpointId: webhookId };
    return this.dispatcher.command(subjects.notification.deleteWebhook, payload, caller, minPosition);
  }

  @Get(':webhookId/deliveries')
  @ApiMinPosition()
  @ApiPage(WebhookAttemptDoc, 'WebhookAttemptPage')
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: 'List the delivery attempts of a webhook endpoint, newest first',
    description: 'Each attempt with its time, the receiver’s status and the start of its answer, and the next try.',
  })
  @ApiProblems(400, 401, 403, 404)
  async deliveries(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('webhookId', new PathId('webhook')) webhookId: string,
    @Paged(DELIVERY_LIST) paging: Paging,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<PageBody<WebhookAttemptView>> {
    await this.authorizer.require(caller, accountId, MANAGE_WEBHOOKS, minPosition);
    const payload = {
      accountId,
      endpointId: webhookId,
      limit: paging.limit,
      ...(paging.after ? { after: paging.after } : {}),
    };
    return paging.answer(await this.dispatcher.query(subjects.notification.webhookDeliveries, payload, minPosition));
  }

  @Post(':webhookId/test')
  @HttpCode(200)
  @ApiMinPosition()
  @ApiOkResponse({ type: WebhookAttemptDoc, description: 'The one attempt, made now and never retried' })
  @ApiOperation({
    operationId: 'testWebhook',
    summary: 'Send a test delivery to a webhook endpoint now',
    description:
      'A signed delivery of a synthetic event of type `webhook.test` (not stored; data `{ endpointId, message }`), ' +
      'sent at once, also to a disabled endpoint. It shows in the deliveries list.',
  })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async test(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('webhookId', new PathId('webhook')) webhookId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<WebhookTestResult> {
    await this.authorizer.require(caller, accountId, MANAGE_WEBHOOKS, minPosition);
    const payload = { accountId, endpointId: webhookId };
    return this.dispatcher.command(subjects.notification.testWebhook, payload, caller, minPosition);
  }
}
