import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subjects, type AccessSharedResult, type AccessView } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { HiddenFromImpersonation } from '../auth/caller-policy';
import { requireVerifiedEmail } from '../auth/verified-email';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiProblems } from '../problem/problem.doc';
import { ApiTokenAccepted } from '../openapi/security';
import { AccessSharedDoc, AccessViewDoc, ShareAccessDto } from './access.dto';
import { shareAccessPayload } from './share-access';

@ApiTags('accesses')
@ApiBearerAuth()
@ApiProblems()
@HiddenFromImpersonation()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/accesses')
export class AccessesHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /** Shares access with people by e-mail: one invitation per recipient. */
  @Post()
  @ApiMinPosition()
  @ApiCreatedResponse({ type: AccessSharedDoc })
  @ApiOperation({ operationId: 'shareAccess', summary: 'Share access to the account with people by e-mail' })
  @ApiProblems(400, 401, 403, 404, 409, 422, [
    429,
    'At most so many invitations per account per day (`invitation.daily_limit`); retry after `Retry-After` seconds',
  ])
  async share(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: ShareAccessDto,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<AccessSharedResult> {
    requireVerifiedEmail(caller, 'share access: recipients see it as the inviter');
    const payload = shareAccessPayload(accountId, body);
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    // The invitation service decides who may share and which billing accounts exist itself, from
    // the membership service's facts (at `minPosition`, so a billing account just created counts).
    return this.dispatcher.command(subjects.invitation.shareAccess, payload, caller, minPosition);
  }

  @Get()
  @ApiMinPosition()
  @ApiOkResponse({ type: [AccessViewDoc] })
  @ApiOperation({ operationId: 'listAccesses', summary: 'List the accesses shared from the account' })
  @ApiProblems(400, 401, 403, 404)
  async list(
    @Param('accountId', new PathId('account')) accountId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<AccessView[]> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    return this.dispatcher.query(subjects.invitation.accessesOfAccount, { accountId }, minPosition);
  }
}
