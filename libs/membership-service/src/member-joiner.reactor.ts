import { Inject, Injectable } from '@nestjs/common';
import type { EventEnvelope, InvitationAcceptedData } from '@accord/contracts';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
import { DurableReaction, causedBy } from '@accord/runtime';
import { MembershipCommands } from './membership.commands';

/** Pure saga step: an accepted invitation becomes a member of the account. */
export function memberFromAcceptance(data: InvitationAcceptedData) {
  const { accountId, userId, email, role, scope, accessId, invitationId } = data;
  return { accountId, userId, email, role, scope, accessId, invitationId };
}

/**
 * InvitationAccepted → MemberJoined. A redelivery re-derives the same event ids and the decider
 * sees the member already there, so no member is ever added twice.
 */
@Injectable()
export class MemberJoinerReactor extends DurableReaction {
  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    private readonly commands: MembershipCommands,
  ) {
    super(consumer, 'membership-member-joiner', ['InvitationAccepted']);
  }

  async react(event: EventEnvelope): Promise<void> {
    await this.commands.addMember(memberFromAcceptance(event.data as InvitationAcceptedData), causedBy(event));
  }
}
