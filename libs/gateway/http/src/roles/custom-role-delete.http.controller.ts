import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subjects, type CommandResult } from '@accord/contracts';
import { AccountCommandResultDoc } from '../accounts/account-lifecycle.http.controller';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS } from '../dispatch/route-permissions';
import { PathId } from '../http/path-id.pipe';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';
import { CustomRoleNamePipe } from './custom-role.get.http.controller';

/** MEM-27: a custom role is deleted by an owner, once no member holds it. */
@ApiTags('members')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/roles')
export class CustomRoleDeleteHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  @Delete(':name')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountCommandResultDoc })
  @ApiOperation({ operationId: 'deleteCustomRole', summary: 'Delete a custom role nobody holds' })
  @ApiProblems(
    400,
    401,
    403,
    404,
    [409, 'A member holds the role (`role.in_use`), or the Idempotency-Key is still running'],
    [410, 'The account is closed (`account.closed`)'],
    422,
  )
  async remove(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('name', new CustomRoleNamePipe()) name: string,
    @CurrentCaller() caller: Caller,
  ): Promise<CommandResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS);
    return this.dispatcher.command(subjects.membership.deleteCustomRole, { accountId, name }, caller);
  }
}
