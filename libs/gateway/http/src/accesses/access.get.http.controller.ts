import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subjects } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { HiddenFromImpersonation } from '../auth/caller-policy';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';
import { AccessViewDoc } from './access.dto';
import { accessSeenBy, type AccessSeenView } from './access-view';

/** One access shared from the account. */
@ApiTags('accesses')
@ApiBearerAuth()
@ApiProblems()
@HiddenFromImpersonation()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/accesses')
export class AccessGetHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /** As the access list shows it, with its permission and its mapping (the name to the sharer only). */
  @Get(':accessId')
  @ApiMinPosition()
  @ApiOkResponse({ type: AccessViewDoc })
  @ApiOperation({
    operationId: 'getAccess',
    summary: 'Show one access shared from the account',
    description: 'As in the list: the access’s `name` is shown to the owner who shared it only.',
  })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('accessId', new PathId('access')) accessId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<AccessSeenView> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    const view = await this.dispatcher.query(subjects.invitation.access, { accountId, accessId }, minPosition);
    return accessSeenBy(view, caller.person.userId);
  }
}
