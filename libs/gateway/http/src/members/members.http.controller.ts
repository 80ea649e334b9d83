import { Body, Controller, Delete, Get, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  MAX_LIST_QUERY,
  subjects,
  type ChangeMemberPayload,
  type CommandResult,
  type MemberAccessView,
  type Scope,
} from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS, READ_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { ApiPage, Paged, type PageBody, type Paging } from '../http/pagination';
import { PathId } from '../http/path-id.pipe';
import { UserIdPipe } from '../http/user-id.pipe';
import { GatewayError } from '../problem/gateway-error';
import { ApiProblems } from '../problem/problem.doc';
import { ChangeMemberDto, MemberAccessDoc, MemberViewDoc } from './member.dto';
import {
  InviteeViewDoc,
  MEMBER_LIST_STATUSES,
  memberList,
  memberListPage,
  parseMemberListFilter,
  type MemberListItem,
} from './member-list';
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

  /**
   * The members, in the order they joined; with `status=invited` the people invited and not yet
   * answered, with `status=all` both (members first). Filter by role and by e-mail or name prefix.
   */
  @Get()
  @ApiQuery({
    name: 'status',
    required: false,
    schema: { type: 'string', enum: [...MEMBER_LIST_STATUSES], default: 'active' },
    description: '`active`: members; `invited`: pending invitations; `all`: members, then pending invitations',
  })
  @ApiQuery({ name: 'role', required: false, description: 'Only this role (built-in or custom)' })
  @ApiQuery({
    name: 'q',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: MAX_LIST_QUERY },
    description: 'Only those whose e-mail or display name starts with this, in any case (an invitee: e-mail only)',
  })
  @ApiMinPosition()
  @ApiPage([MemberViewDoc, InviteeViewDoc], 'MemberPage')
  @ApiOperation({ operationId: 'listMembers', summary: 'List the members (and people invited) of the account' })
  @ApiProblems(400, 401, 403, 404)
  async list(
    @Param('accountId', new PathId('account')) accountId: string,
    @Paged(memberList) paging: Paging,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<PageBody<MemberListItem>> {
    const filter = parseMemberListFilter(paging.query);
    await this.authorizer.require(caller, accountId, READ_USERS, minPosition);
    return paging.answer(await memberListPage(this.dispatcher, accountId, paging, filter, minPosition));
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
