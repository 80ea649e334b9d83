import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, asAccordEnvelope, type EventEnvelope } from '@accord/contracts';
import { accessEnded } from '@accord/membership-domain';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
import { DurableReaction, causedBy } from '@accord/service-kit';
import { MembershipCommands } from './membership.commands';

/**
 * Runs the rule `accessEnded` (membership domain): AccessRevoked / AccessExpired →
 * RemoveAccessMembers → a MemberRemoved (reason `access_revoked` / `access_expired`) for each
 * member who joined through the access. A redelivery re-derives the same event ids and the decider
 * finds nobody left to remove, so it removes nobody.
 */
@Injectable()
export class AccessEndedReactor extends DurableReaction {
  private readonly logger = new Logger(AccessEndedReactor.name);

  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    private readonly commands: MembershipCommands,
  ) {
    super(consumer, 'membership-access-ended', ['AccessRevoked', 'AccessExpired']);
  }

  async react(event: EventEnvelope): Promise<void> {
    const ended = asAccordEnvelope(event);
    if (ended?.type !== 'AccessRevoked' && ended?.type !== 'AccessExpired') return;
    try {
      await this.commands.removeAccessMembers(ended.data.accountId, accessEnded(ended), causedBy(event));
    } catch (error) {
      // The Account decider refused (the account is gone or closed, its members removed with it):
      // a decision, not a failure, and redelivery decides the same. Logged by event id, then acked.
      if (!(error instanceof DomainError)) throw error;
      this.logger.warn(`${event.type} ${event.id} refused by the Account decider: ${error.code}`);
    }
  }
}
