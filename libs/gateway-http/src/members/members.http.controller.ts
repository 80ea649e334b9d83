import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { subjects, type MemberView } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiProblems } from '../problem/problem.doc';
import { MemberViewDoc } from './member.dto';

@ApiTags('members')
@ApiBearerAuth()
@ApiProblems()
@Controller('v1/accounts/:accountId/members')
export class MembersHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  @Get()
  @ApiMinPosition()
  @ApiOkResponse({ type: [MemberViewDoc] })
  async list(
    @Param('accountId', new PathId('account')) accountId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<MemberView[]> {
    await this.authorizer.require(caller, accountId, 'users:read', minPosition);
    return this.dispatcher.query<{ accountId: string }, MemberView[]>(subjects.membership.membersOfAccount, { accountId }, minPosition);
  }
}
