import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  subjects,
  type AccountCreatedResult,
  type AccountView,
  type AddMemberPayload,
  type AuthzCheckPayload,
  type AuthzDecision,
  type CommandRequest,
  type CommandResult,
  type CreateAccountPayload,
  type MemberView,
  type QueryRequest,
  type Reply,
} from '@accord/contracts';
import { awaitPosition, lookUpFresh, toReply } from '@accord/runtime';
import { MembershipCommands } from './membership.commands';
import { MembershipReadModel } from './membership.projection-runner';
import { MembershipQueries } from './membership.queries';

/** Request/reply entry points of the membership service (NATS or in-process: same code). */
@Controller()
export class MembershipMessageController {
  constructor(
    private readonly commands: MembershipCommands,
    private readonly queries: MembershipQueries,
    private readonly readModel: MembershipReadModel,
  ) {}

  @MessagePattern(subjects.membership.createAccount)
  createAccount(@Payload() request: CommandRequest<CreateAccountPayload>): Promise<Reply<AccountCreatedResult>> {
    return toReply(() => this.commands.createAccount(request.payload, request.metadata));
  }

  @MessagePattern(subjects.membership.addMember)
  addMember(@Payload() request: CommandRequest<AddMemberPayload>): Promise<Reply<CommandResult>> {
    return toReply(() => this.commands.addMember(request.payload, request.metadata));
  }

  @MessagePattern(subjects.membership.accountsOfUser)
  accountsOfUser(@Payload() request: QueryRequest<{ userId: string }>): Promise<Reply<AccountView[]>> {
    return toReply(async () => {
      await awaitPosition(this.readModel, request.minPosition);
      return this.queries.accountsOfUser(request.payload.userId);
    });
  }

  @MessagePattern(subjects.membership.membersOfAccount)
  membersOfAccount(@Payload() request: QueryRequest<{ accountId: string }>): Promise<Reply<MemberView[]>> {
    return toReply(async () => {
      await awaitPosition(this.readModel, request.minPosition);
      return this.queries.membersOfAccount(request.payload.accountId);
    });
  }

  @MessagePattern(subjects.authz.check)
  check(@Payload() request: QueryRequest<AuthzCheckPayload>): Promise<Reply<AuthzDecision>> {
    return toReply(async () => {
      await awaitPosition(this.readModel, request.minPosition);
      // A denial is confirmed against a caught-up read model: lag never turns an owner away.
      return lookUpFresh(this.readModel, () => this.queries.check(request.payload), (d) => d.allowed);
    });
  }
}
