export * from './consumer-failures';
export * from './consumer-status';
export * from './rebuild';
export * from './compare';
export * from './swap';
export { shadowSchemaName } from './shadow-schema';
