export * from './permission';
export * from './roles';
