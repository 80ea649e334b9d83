export * from './token-format';
export * from './token-index';
export * from './token-options';
export * from './token-service.module';
