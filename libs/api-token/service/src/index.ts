export * from './token-format';
export * from './token-index';
export * from './api-token-options';
export * from './api-token-service.module';
// For the integration specs that compose this service with the membership service (apps/platform).
export { LastUsedRecorder } from './last-used.recorder';
export { MemberGoneReactor } from './member-gone.reactor';
export { accessTokenId } from './token.commands';
// The read model, for the operators' tools (rebuild, verify; apps/platform/src/operations).
export { tokenProjection } from './token.projection';
