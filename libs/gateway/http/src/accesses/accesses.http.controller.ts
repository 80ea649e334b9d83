import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subjects, type AccessSharedResult } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { HiddenFromImpersonation } from '../auth/caller-policy';
import { requireVerifiedEmail } from '../auth/verified-email';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { ApiPage, Paged, type PageBody, type Paging } from '../http/pagination';
import { PathId } from '../http/path-id.pipe';
import { ApiProblems } from '../problem/problem.doc';
import { ApiTokenAccepted } from '../openapi/security';
import { AccessSharedDoc, AccessViewDoc, ShareAccessDto } from './access.dto';
import { accessSeenBy, type AccessSeenView } from './access-view';
import { shareAccessPayload } from './share-access';

const ACCESS_LIST = { name: 'accesses', key: ['instant', 'uuid'] } as const;

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
  @ApiPage(AccessViewDoc, 'AccessPage')
  @ApiOperation({
    operationId: 'listAccesses',
    summary: 'List the accesses shared from the account, oldest first',
    description:
      'Each access with its recipients and what became of them. An access’s `name` is shown to the owner who ' +
      'shared it only; other owners see `sharedBy` and a null `name`.',
  })
  @ApiProblems(400, 401, 403, 404)
  async list(
    @Param('accountId', new PathId('account')) accountId: string,
    @Paged(ACCESS_LIST) paging: Paging,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<PageBody<AccessSeenView>> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    const payload = { accountId, limit: paging.limit, ...(paging.after ? { after: paging.after } : {}) };
    const page = await this.dispatcher.query(subjects.invitation.accessesOfAccount, payload, minPosition);
    // INV-4: the name is the sharer's own label, withheld from every other owner.
    return paging.answer({ ...page, items: page.items.map((view) => accessSeenBy(view, caller.person.userId)) });
  }
}
