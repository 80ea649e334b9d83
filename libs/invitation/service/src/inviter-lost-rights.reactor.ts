import { Inject, Injectable } from '@nestjs/common';
import { asAccordEnvelope, type EventEnvelope } from '@accord/contracts';
import { inviterLostRights } from '@accord/invitation-domain';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
import { DurableReaction, causedBy } from '@accord/service-kit';
import { InvitationCommands } from './invitation.commands';

/**
 * Runs the rule `inviterLostRights` (invitation domain): an owner who leaves, is removed or loses
 * the owner role takes the invitations they sent with them. Idempotent: event ids derive from the
 * cause, and the decider skips what is already revoked.
 */
@Injectable()
export class InviterLostRightsReactor extends DurableReaction {
  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    private readonly commands: InvitationCommands,
  ) {
    // The durable name predates RoleChanged and MemberLeft joining the list: keeping it keeps the
    // cursor, so starting this version does not replay every past membership change.
    super(consumer, 'invitation-inviter-removed', ['MemberRemoved', 'MemberLeft', 'RoleChanged']);
  }

  async react(event: EventEnvelope): Promise<void> {
    const changed = asAccordEnvelope(event);
    if (changed?.type !== 'MemberRemoved' && changed?.type !== 'MemberLeft' && changed?.type !== 'RoleChanged') return;
    const command = inviterLostRights(changed, event.occurredAt);
    if (command) await this.commands.revokeByReaction(command, causedBy(event));
  }
}
