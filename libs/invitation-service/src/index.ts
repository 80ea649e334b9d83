export * from './invitation-service.module';
export * from './invitation.projection';
