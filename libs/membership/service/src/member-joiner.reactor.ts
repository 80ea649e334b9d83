import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, asAccordEnvelope, type EventEnvelope } from '@accord/contracts';
import { memberJoiner } from '@accord/membership-domain';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
import { DurableReaction, causedBy } from '@accord/service-kit';
import { MembershipCommands } from './membership.commands';

/**
 * Runs the rule `memberJoiner` (membership domain): InvitationAccepted → AddMember → MemberJoined. A redelivery re-
 * derives the same event ids and the decider
 * sees the member already there, so no member is ever added twice.
 */
@Injectable()
export class MemberJoinerReactor extends DurableReaction {
  private readonly logger = new Logger(MemberJoinerReactor.name);

  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    private readonly commands: MembershipCommands,
  ) {
    super(consumer, 'membership-member-joiner', ['InvitationAccepted']);
  }

  async react(event: EventEnvelope): Promise<void> {
    const accepted = asAccordEnvelope(event);
    if (accepted?.type !== 'InvitationAccepted') return;
    try {
      await this.commands.addMember(memberJoiner(accepted).data, causedBy(event));
    } catch (error) {
      // The Account decider refused the acceptance (a scope naming no billing account of the
      // account, an unknown role): a decision, not a failure, and redelivery decides the same, so
      // retrying would only hold every later acceptance hostage. Logged by event id, then acked.
      if (!(error instanceof DomainError)) throw error;
      this.logger.warn(`InvitationAccepted ${event.id} refused by the Account decider: ${error.code}`);
    }
  }
}
