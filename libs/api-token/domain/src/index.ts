export * from './api-token';
export * from './member-gone';
