export * from './decider';
export * from './email';
export * from './envelope';
export * from './errors';
export * from './events';
export * from './messages';
export * from './model';
export * from './time';
