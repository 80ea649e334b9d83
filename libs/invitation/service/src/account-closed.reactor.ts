import { Inject, Injectable } from '@nestjs/common';
import { asAccordEnvelope, type EventEnvelope } from '@accord/contracts';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
import { DurableReaction, causedBy } from '@accord/service-kit';
import { InvitationCommands } from './invitation.commands';

/**
 * MEM-23: a closed account's unsettled invitations are revoked (reason `account_closed`, by the
 * root owner who closed it), so no link of it can be used any more. Idempotent: event ids derive
 * from the cause, and the decider skips what is already revoked.
 */
@Injectable()
export class AccountClosedReactor extends DurableReaction {
  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    private readonly commands: InvitationCommands,
  ) {
    super(consumer, 'invitation-account-closed', ['AccountClosed']);
  }

  async react(event: EventEnvelope): Promise<void> {
    const closed = asAccordEnvelope(event);
    if (closed?.type !== 'AccountClosed') return;
    await this.commands.revokeByReaction(
      {
        type: 'RevokeInvitationsOfClosedAccount',
        data: { accountId: closed.data.accountId, closedBy: closed.data.closedBy },
      },
      causedBy(event),
    );
  }
}
