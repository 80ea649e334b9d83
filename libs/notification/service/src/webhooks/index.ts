export * from './webhook-options';
export { verifyWebhookSignature, webhookSignature } from './webhook-signature';
export { WebhookReactor, WebhookEndpointsReadModel } from './webhook.reactor';
export { WebhookWorker } from './webhook.worker';
export { webhookEndpointsProjection } from './webhook-endpoints.projection';
