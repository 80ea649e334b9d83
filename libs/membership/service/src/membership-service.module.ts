import { Module } from '@nestjs/common';
import { AuditMessageController } from './audit/audit.message-controller';
import { AccessHistoryMessageController } from './authz/access-history.message-controller';
import { AuthzIndex } from './authz/authz-index';
import { ImpersonationMessageController } from './impersonation/impersonation.message-controller';
import { AccessEndedReactor } from './access-ended.reactor';
import { MemberJoinerReactor } from './member-joiner.reactor';
import { MembershipCommands } from './membership.commands';
import { MembershipMessageController } from './membership.message-controller';
import { MembershipReadModel } from './membership.projection-runner';
import { MembershipQueries } from './membership.queries';

/**
 * The membership service: Accounts, members, roles, authorization checks. Needs EVENT_STORE,
 * SQL_CLIENT and EVENT_CONSUMER from the composition root (InfrastructureModule).
 */
@Module({
  controllers: [
    MembershipMessageController,
    ImpersonationMessageController,
    AuditMessageController,
    AccessHistoryMessageController,
  ],
  providers: [
    MembershipCommands,
    MembershipQueries,
    MembershipReadModel,
    AuthzIndex,
    MemberJoinerReactor,
    AccessEndedReactor,
  ],
})
export class MembershipServiceModule {}
