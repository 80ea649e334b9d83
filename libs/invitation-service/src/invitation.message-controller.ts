import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  subjects,
  type AcceptInvitationPayload,
  type AccessSharedResult,
  type AccessView,
  type CommandRequest,
  type InvitationAcceptedResult,
  type MyInvitationView,
  type QueryRequest,
  type Reply,
  type ShareAccessPayload,
} from '@accord/contracts';
import { awaitPosition, toReply } from '@accord/runtime';
import { InvitationCommands } from './invitation.commands';
import { InvitationReadModel } from './invitation.projection-runner';
import { InvitationQueries } from './invitation.queries';

/** Request/reply entry points of the invitation service (NATS or in-process: same code). */
@Controller()
export class InvitationMessageController {
  constructor(
    private readonly commands: InvitationCommands,
    private readonly queries: InvitationQueries,
    private readonly readModel: InvitationReadModel,
  ) {}

  @MessagePattern(subjects.invitation.shareAccess)
  shareAccess(@Payload() request: CommandRequest<ShareAccessPayload>): Promise<Reply<AccessSharedResult>> {
    return toReply(() => this.commands.shareAccess(request.payload, request.metadata));
  }

  @MessagePattern(subjects.invitation.acceptInvitation)
  acceptInvitation(@Payload() request: CommandRequest<AcceptInvitationPayload>): Promise<Reply<InvitationAcceptedResult>> {
    return toReply(() => this.commands.acceptInvitation(request.payload, request.metadata, request.minPosition));
  }

  @MessagePattern(subjects.invitation.accessesOfAccount)
  accessesOfAccount(@Payload() request: QueryRequest<{ accountId: string }>): Promise<Reply<AccessView[]>> {
    return toReply(async () => {
      await awaitPosition(this.readModel, request.minPosition);
      return this.queries.accessesOfAccount(request.payload.accountId);
    });
  }

  @MessagePattern(subjects.invitation.invitationsForEmail)
  invitationsForEmail(@Payload() request: QueryRequest<{ email: string }>): Promise<Reply<MyInvitationView[]>> {
    return toReply(async () => {
      await awaitPosition(this.readModel, request.minPosition);
      return this.queries.invitationsForEmail(request.payload.email);
    });
  }
}
