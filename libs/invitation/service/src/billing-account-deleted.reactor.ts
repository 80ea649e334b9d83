import { Inject, Injectable } from '@nestjs/common';
import { asAccordEnvelope, type EventEnvelope } from '@accord/contracts';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
import { DurableReaction, causedBy } from '@accord/service-kit';
import { InvitationCommands } from './invitation.commands';

/**
 * MEM-26: the unsettled invitations of accesses restricted to a deleted billing account are revoked
 * (reason `billing_account_deleted`, by the owner who deleted it): accepting one would make nobody a
 * member. Idempotent: event ids derive from the cause, and the decider skips what is already revoked.
 */
@Injectable()
export class BillingAccountDeletedReactor extends DurableReaction {
  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    private readonly commands: InvitationCommands,
  ) {
    super(consumer, 'invitation-billing-account-deleted', ['BillingAccountDeleted']);
  }

  async react(event: EventEnvelope): Promise<void> {
    const deleted = asAccordEnvelope(event);
    if (deleted?.type !== 'BillingAccountDeleted') return;
    const { accountId, billingAccountId, deletedBy } = deleted.data;
    await this.commands.revokeByReaction(
      { type: 'RevokeInvitationsOfDeletedBillingAccount', data: { accountId, billingAccountId, deletedBy } },
      causedBy(event),
    );
  }
}
