export * from './mailer';
export * from './webhooks';
