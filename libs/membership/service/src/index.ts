export * from './member-joiner.reactor';
export * from './membership-service.module';
export * from './membership.projection';
export * from './authz/authz-index';
export * from './membership.commands';
export { Members, startMembershipService } from './testing/membership-fixture';
