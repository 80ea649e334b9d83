import { Inject, Injectable } from '@nestjs/common';
import type { EventEnvelope, MemberRemovedData } from '@accord/contracts';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
import { DurableReaction, causedBy } from '@accord/runtime';
import { InvitationCommands } from './invitation.commands';

/**
 * MemberRemoved → the pending invitations that member sent are revoked (GitLab #26801 let a
 * removed member's invitations live on). Idempotent: ids derive from the cause, and the decider
 * skips what is already revoked.
 */
@Injectable()
export class InviterRemovedReactor extends DurableReaction {
  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    private readonly commands: InvitationCommands,
  ) {
    super(consumer, 'invitation-inviter-removed', ['MemberRemoved']);
  }

  async react(event: EventEnvelope): Promise<void> {
    const { accountId, userId } = event.data as MemberRemovedData;
    await this.commands.revokeInvitationsOf(accountId, userId, causedBy(event));
  }
}
