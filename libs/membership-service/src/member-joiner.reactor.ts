import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventEnvelope, InvitationAcceptedData } from '@accord/contracts';
import { EVENT_CONSUMER, type ConsumerHandle, type EventConsumer } from '@accord/messaging';
import { MembershipCommands } from './membership.commands';

/** Pure saga step: an accepted invitation becomes a member of the account. */
export function memberFromAcceptance(data: InvitationAcceptedData) {
  const { accountId, userId, email, role, scope, accessId, invitationId } = data;
  return { accountId, userId, email, role, scope, accessId, invitationId };
}

/**
 * Durable consumer of InvitationAccepted (JetStream in the services profile, the store in the
 * embedded one). At-least-once: a redelivery re-derives the same event ids and the decider sees
 * the member already there, so no member is ever added twice.
 */
@Injectable()
export class MemberJoinerReactor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MemberJoinerReactor.name);
  private handle: ConsumerHandle | null = null;

  constructor(
    @Inject(EVENT_CONSUMER) private readonly consumer: EventConsumer,
    private readonly commands: MembershipCommands,
  ) {}

  async onApplicationBootstrap() {
    this.handle = await this.consumer.consume({
      name: 'membership-member-joiner',
      types: ['InvitationAccepted'],
      handler: (event) => this.react(event),
    });
  }

  async onApplicationShutdown() {
    await this.handle?.close();
  }

  async react(event: EventEnvelope): Promise<void> {
    await this.commands.addMember(memberFromAcceptance(event.data as InvitationAcceptedData), {
      actor: event.actor,
      now: event.occurredAt,
      correlationId: event.correlationId,
      causationId: event.id,
    });
    this.logger.debug(`member joined from invitation event ${event.id}`);
  }
}
