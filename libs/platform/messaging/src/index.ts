// Ports
export * from './request-client';
export * from './handles';
export * from './event-consumer';
// Request/reply: NATS (services profile) and in-process (embedded profile)
export * from './subject-prefix';
export * from './reply-values';
export * from './nats-auth';
export * from './nats-server-options';
export * from './nats-request-client';
export * from './in-process-transport';
export * from './in-process-request-client';
// Events: JetStream stream, relay, consumers
export * from './events-stream';
export * from './event-relay';
export * from './jetstream-event-consumer';
export * from './store-event-consumer';
