import { Module, type DynamicModule } from '@nestjs/common';
import { ExpiryScheduler } from './expiry.scheduler';
import { INVITATION_OPTIONS, type InvitationServiceOptions } from './invitation-options';
import { InvitationCommands } from './invitation.commands';
import { InvitationMessageController } from './invitation.message-controller';
import { InvitationReadModel } from './invitation.projection-runner';
import { InvitationQueries } from './invitation.queries';
import { InviterLostRightsReactor } from './inviter-lost-rights.reactor';
import { AccountClosedReactor } from './account-closed.reactor';
import { BillingAccountDeletedReactor } from './billing-account-deleted.reactor';

/**
 * The invitation service: Accesses and Invitations. Needs EVENT_STORE, SQL_CLIENT, REQUEST_CLIENT and
 * EVENT_CONSUMER from the composition root (InfrastructureModule).
 */
@Module({})
export class InvitationServiceModule {
  static forRoot(options: InvitationServiceOptions): DynamicModule {
    return {
      module: InvitationServiceModule,
      controllers: [InvitationMessageController],
      providers: [
        { provide: INVITATION_OPTIONS, useValue: options },
        InvitationCommands,
        InvitationQueries,
        InvitationReadModel,
        ExpiryScheduler,
        InviterLostRightsReactor,
        AccountClosedReactor,
        BillingAccountDeletedReactor,
      ],
    };
  }
}
