export * from './http';
export * from './nats';
export * from './postgres';
export * from './slice-scenario';
