import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  isUserId,
  streams,
  subjects,
  type CommandRequest,
  type CommandResult,
  type RecordImpersonatedReadPayload,
  type Reply,
} from '@accord/contracts';
import { Handles } from '@accord/messaging';
import { handleCommand, randomEventId, type EventStore } from '@accord/eventstore';
import { impersonationDecider } from '@accord/membership-domain';
import { EVENT_STORE, toReply } from '@accord/service-kit';

/** Records a read made while impersonating (the gateway waits for this before answering). */
@Controller()
export class ImpersonationMessageController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Handles(subjects.membership.recordImpersonatedRead)
  record(@Payload() request: CommandRequest<RecordImpersonatedReadPayload>): Promise<Reply<CommandResult>> {
    return toReply(async () => {
      const { metadata, payload } = request;
      const impersonatorId = metadata.actor.impersonatorId ?? '';
      // The stream id carries the admin's id: only a well-formed user id may name a stream.
      const stream = streams.impersonation(isUserId(impersonatorId) ? impersonatorId : 'invalid');
      const command = {
        type: 'RecordImpersonatedRead' as const,
        data: { actor: metadata.actor, accountId: payload.accountId ?? null, route: String(payload.route ?? '') },
      };
      const result = await handleCommand(this.store, command, {
        streamId: stream,
        decider: impersonationDecider,
        metadata,
        eventId: randomEventId,
      });
      return { position: result.position };
    });
  }
}
