import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subjects, type MemberView } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { READ_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { UserIdPipe } from '../http/user-id.pipe';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';
import { MemberViewDoc } from './member.dto';

/** One member of the account. */
@ApiTags('members')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/members')
export class MemberGetHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /** As the member list shows them, with the list's permission (MEM-20); a non-member is 404. */
  @Get(':userId')
  @ApiMinPosition()
  @ApiOkResponse({ type: MemberViewDoc })
  @ApiOperation({ operationId: 'getMember', summary: 'Show one member of the account' })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('userId', new UserIdPipe()) userId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<MemberView> {
    await this.authorizer.require(caller, accountId, READ_USERS, minPosition);
    return this.dispatcher.query(subjects.membership.member, { accountId, userId }, minPosition);
  }
}
