export * from './catalog-view';
export * from './grants';
export * from './held-permissions';
export * from './permission';
export * from './roles';
export * from './sbs-scope';
export * from './section-catalog';
export * from './special-permissions';
