export * from './config';
export * from './delivery.worker';
export * from './notification-options';
export * from './notification-service.module';
export * from './templates';
export * from './mailer.reactor';
export { deliveryIdOf } from './deliveries';
// The read models, for the operators' tools (rebuild, verify; apps/platform/src/operations).
export { mailDirectoryProjection, notificationProjection } from './notification.projection';
export * from './webhooks';
