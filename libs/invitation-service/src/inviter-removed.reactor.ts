import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventEnvelope, MemberRemovedData } from '@accord/contracts';
import { EVENT_CONSUMER, type ConsumerHandle, type EventConsumer } from '@accord/messaging';
import { InvitationCommands } from './invitation.commands';

/**
 * When a member is removed, the pending invitations they sent are revoked (GitLab #26801 let a
 * removed member's invitations live on). Durable and at-least-once: event ids derive from the
 * MemberRemoved id and the decider skips what is already revoked, so redelivery changes nothing.
 */
@Injectable()
export class InviterRemovedReactor implements OnApplicationBootstrap, OnApplicationShutdown {
  private handle: ConsumerHandle | null = null;

  constructor(
    @Inject(EVENT_CONSUMER) private readonly consumer: EventConsumer,
    private readonly commands: InvitationCommands,
  ) {}

  async onApplicationBootstrap() {
    this.handle = await this.consumer.consume({
      name: 'invitation-inviter-removed',
      types: ['MemberRemoved'],
      handler: (event) => this.react(event),
    });
  }

  async onApplicationShutdown() {
    await this.handle?.close();
  }

  async react(event: EventEnvelope): Promise<void> {
    const { accountId, userId } = event.data as MemberRemovedData;
    await this.commands.revokeInvitationsOf(accountId, userId, {
      actor: event.actor,
      now: event.occurredAt,
      correlationId: event.correlationId,
      causationId: event.id,
    });
  }
}
