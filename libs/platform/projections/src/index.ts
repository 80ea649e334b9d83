export * from './projection';
export * from './projection-runner';
export * from './position-waiters';
export * from './read-model-failed';
export * from './operations';
