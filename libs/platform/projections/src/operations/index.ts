export * from './consumer-failures';
export * from './consumer-status';
export * from './rebuild';
export * from './compare';
export * from './swap';
export { REBUILD_ALREADY_RUNNING, type RebuildLock } from './rebuild-lock';
export { shadowSchemaName } from './shadow-schema';
