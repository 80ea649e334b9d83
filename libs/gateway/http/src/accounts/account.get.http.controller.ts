import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subjects, type AccountView } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Dispatcher } from '../dispatch/dispatcher';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';
import { AccountViewDoc } from './account.dto';

/** One account of the caller's account list. */
@ApiTags('accounts')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/accounts')
export class AccountGetHttpController {
  constructor(private readonly dispatcher: Dispatcher) {}

  /**
   * As `GET /v1/accounts` shows it. Being a member is the gate, as for the list: anyone else gets
   * the 404 of an account that does not exist (EDGE-2); an API token reaches its own account only.
   */
  @Get(':accountId')
  @ApiMinPosition()
  @ApiOkResponse({ type: AccountViewDoc })
  @ApiOperation({ operationId: 'getAccount', summary: 'Show one account the caller is a member of' })
  @ApiProblems(400, 401, 403, 404)
  get(
    @Param('accountId', new PathId('account')) accountId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<AccountView> {
    return this.dispatcher.query(
      subjects.membership.accountOfUser,
      { accountId, userId: caller.person.userId },
      minPosition,
    );
  }
}
