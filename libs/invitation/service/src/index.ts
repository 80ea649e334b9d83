export * from './invitation-options';
export * from './invitation-service.module';
export * from './invitation.projection';
