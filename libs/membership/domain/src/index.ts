export * from './account';
export * from './impersonation';
export * from './member-joiner';
export * from './authz/catalog';
export * from './authz/evaluate-member';
export * from './authz/member-access';
export * from './authz/access-at';
export * from './access-ended';
