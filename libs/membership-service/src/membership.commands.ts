import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  streams,
  type AccountCreatedResult,
  type AddMemberPayload,
  type CommandMetadata,
  type CommandResult,
  type CreateAccountPayload,
} from '@accord/contracts';
import { handleCommand, type EventStore } from '@accord/eventstore';
import { accountDecider } from '@accord/membership-domain';
import { EVENT_STORE, derivedEventId, randomEventId } from '@accord/runtime';

/** Use cases of the Account aggregate: load → decide → append (handleCommand retries conflicts). */
@Injectable()
export class MembershipCommands {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async createAccount(payload: CreateAccountPayload, metadata: CommandMetadata): Promise<AccountCreatedResult> {
    const accountId = randomUUID();
    const result = await handleCommand(
      this.store,
      { type: 'CreateAccount', data: { accountId, name: payload.name, rootOwner: payload.owner } },
      { streamId: streams.account(accountId), decider: accountDecider, metadata, eventId: randomEventId },
    );
    const state = result.state;
    return { id: accountId, name: state.status === 'active' ? state.name : payload.name, position: result.position };
  }

  /** Reaction to InvitationAccepted: ids derive from the cause so redelivery appends nothing new. */
  async addMember(payload: AddMemberPayload, metadata: CommandMetadata): Promise<CommandResult> {
    const result = await handleCommand(
      this.store,
      { type: 'AddMember', data: payload },
      {
        streamId: streams.account(payload.accountId),
        decider: accountDecider,
        metadata,
        eventId: metadata.causationId ? derivedEventId(metadata.causationId) : randomEventId,
      },
    );
    return { position: result.position };
  }
}
