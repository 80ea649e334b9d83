export * from './decider-spec';
export * from './reaction-spec';
