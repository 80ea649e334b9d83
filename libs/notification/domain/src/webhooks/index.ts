export * from './webhook-endpoints';
export * from './webhook-payload';
export * from './webhook-retry';
export * from './webhook-url';
