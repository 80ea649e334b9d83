export * from './load';
export * from './kinds';
export * from './http';
export * from './load-person';
