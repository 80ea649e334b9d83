import { Inject, Injectable } from '@nestjs/common';
import type { EventEnvelope, MemberLeftData } from '@accord/contracts';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
import { DurableReaction, causedBy } from '@accord/service-kit';
import { TokenCommands } from './token.commands';
import { TokenIndex } from './token-index';

/** MemberRemoved / MemberLeft → every token of that member in that account is revoked. */
@Injectable()
export class MemberGoneReactor extends DurableReaction {
  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    private readonly commands: TokenCommands,
    private readonly index: TokenIndex,
  ) {
    super(consumer, 'token-member-gone', ['MemberRemoved', 'MemberLeft']);
  }

  async react(event: EventEnvelope): Promise<void> {
    const { accountId, userId } = event.data as MemberLeftData;
    const reason = event.type === 'MemberRemoved' ? 'member_removed' : 'member_left';
    // The index must hold every token issued before the member went.
    await this.index.waitFor(event.globalPosition, 10_000);
    for (const tokenId of this.index.liveTokensOf(accountId, userId)) {
      await this.commands.revokeForMember(tokenId, userId, reason, causedBy(event));
    }
  }
}
