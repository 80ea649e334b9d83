import { Module } from '@nestjs/common';
import { InvitationCommands } from './invitation.commands';
import { InvitationMessageController } from './invitation.message-controller';
import { InvitationReadModel } from './invitation.projection-runner';
import { InvitationQueries } from './invitation.queries';

/** The invitation service: Accesses and Invitations. Needs EVENT_STORE and SQL_CLIENT. */
@Module({
  controllers: [InvitationMessageController],
  providers: [InvitationCommands, InvitationQueries, InvitationReadModel],
})
export class InvitationServiceModule {}
