export * from './create-logger';
export * from './log-context';
export * from './log-context.interceptor';
export * from './log-level';
export * from './message-log-context';
export * from './nest-logger';
export * from './redaction';
export * from './serializers';
