import { Body, Controller, Delete, Get, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  subjects,
  type ChangeMemberPayload,
  type CommandResult,
  type MemberAccessView,
  type MemberView,
  type Scope,
} from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS, READ_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { UserIdPipe } from '../http/user-id.pipe';
import { GatewayError } from '../problem/gateway-error';
import { ApiProblems } from '../problem/problem.doc';
import { ChangeMemberDto, MemberAccessDoc, MemberViewDoc } from './member.dto';
import { ApiTokenAccepted } from '../openapi/security';

@ApiTags('members')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/members')
export class MembersHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  @Get()
  @ApiMinPosition()
  @ApiOkResponse({ type: [MemberViewDoc] })
  @ApiOperation({ operationId: 'listMembers', summary: 'List the members of the account' })
  @ApiProblems(400, 401, 403, 404)
  async list(
    @Param('accountId', new PathId('account')) accountId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<MemberView[]> {
    await this.authorizer.require(caller, accountId, READ_USERS, minPosition);
    return this.dispatcher.query(subjects.membership.membersOfAccount, { accountId }, minPosition);
  }

  /** Role, permissions, scope, the owner's name for the member, "may create environments". */
  @Patch(':userId')
  @ApiOkResponse({ description: '{ position }' })
  @ApiOperation({ operationId: 'changeMember', summary: 'Change a member’s role, permissions, scope or name' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async change(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('userId', new UserIdPipe()) userId: string,
    @Body() body: ChangeMemberDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CommandResult> {
    if (Object.keys(body).length === 0) {
      throw new GatewayError({
        kind: 'validation',
        code: 'request.empty',
        message: 'name at least one field to change',
        field: 'body',
      });
    }
    await this.authorizer.require(caller, accountId, MANAGE_USERS);
    const { scope, displayName, ...rest } = body;
    const payload: ChangeMemberPayload = {
      accountId,
      userId,
      ...rest,
      ...(scope ? { scope: toScope(scope) } : {}),
      ...(displayName !== undefined ? { displayName: displayName || null } : {}),
    };
    return this.dispatcher.command(subjects.membership.changeMember, payload, caller);
  }

  /** MEM-3: an owner removes a member; what the member created stays with the account (NOT-3). */
  @Delete(':userId')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ position }' })
  @ApiOperation({ operationId: 'removeMember', summary: 'Remove a member from the account' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async remove(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('userId', new UserIdPipe()) userId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<CommandResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS);
    return this.dispatcher.command(subjects.membership.removeMember, { accountId, userId }, caller);
  }

  /** AUTHZ-15: per section, management / read only / none. */
  @Get(':userId/access')
  @ApiMinPosition()
  @ApiOkResponse({ type: MemberAccessDoc })
  @ApiOperation({ operationId: 'getMemberAccess', summary: 'Show what a member may manage or read, per section' })
  @ApiProblems(400, 401, 403, 404)
  async access(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('userId', new UserIdPipe()) userId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<MemberAccessView> {
    await this.authorizer.require(caller, accountId, READ_USERS, minPosition);
    return this.dispatcher.query(subjects.membership.memberAccess, { accountId, userId }, minPosition);
  }
}

export function toScope(scope: { type: 'global' | 'restricted'; billingAccountId?: string }): Scope {
  return scope.type === 'restricted'
    ? { type: 'restricted', billingAccountId: scope.billingAccountId! }
    : { type: 'global' };
}
