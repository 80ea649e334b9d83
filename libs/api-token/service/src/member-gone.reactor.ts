import { Inject, Injectable } from '@nestjs/common';
import { accountClosed, memberGone } from '@accord/api-token-domain';
import { asAccordEnvelope, type EventEnvelope } from '@accord/contracts';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
import { DurableReaction, causedBy } from '@accord/service-kit';
import { TokenCommands } from './token.commands';
import { TokenIndex } from './token-index';

/**
 * Runs the rule `memberGone` (api-token domain): MemberRemoved / MemberLeft → every live token of that member in that
 * account is revoked; and `accountClosed` (MEM-23): AccountClosed → every live token of the account is.
 */
@Injectable()
export class MemberGoneReactor extends DurableReaction {
  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    private readonly commands: TokenCommands,
    private readonly index: TokenIndex,
  ) {
    // The durable name stays when AccountClosed joins the list: the cursor is kept.
    super(consumer, 'token-member-gone', ['MemberRemoved', 'MemberLeft', 'AccountClosed']);
  }

  async react(event: EventEnvelope): Promise<void> {
    const gone = asAccordEnvelope(event);
    if (gone?.type === 'AccountClosed') {
      await this.index.waitFor(event.globalPosition, 10_000);
      for (const { tokenId, command } of accountClosed(gone, this.index.liveTokensOfAccount(gone.data.accountId))) {
        await this.commands.revokeForMember(tokenId, command, causedBy(event));
      }
      return;
    }
    if (gone?.type !== 'MemberRemoved' && gone?.type !== 'MemberLeft') return;
    // The index must hold every token issued before the member went.
    await this.index.waitFor(event.globalPosition, 10_000);
    const liveTokenIds = this.index.liveTokensOf(gone.data.accountId, gone.data.userId);
    for (const { tokenId, command } of memberGone(gone, liveTokenIds)) {
      await this.commands.revokeForMember(tokenId, command, causedBy(event));
    }
  }
}
