export * from './account';
export * from './impersonation';
