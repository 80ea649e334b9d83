import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subjects, type AccessSharedResult } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { HiddenFromImpersonation } from '../auth/caller-policy';
import { requireVerifiedEmail } from '../auth/verified-email';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';
import { AccessSharedDoc } from './access.dto';
import { AddRecipientsDto } from './access-lifecycle.dto';

/** INV-27: more people for an access already shared. */
@ApiTags('accesses')
@ApiBearerAuth()
@ApiProblems()
@HiddenFromImpersonation()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/accesses/:accessId/recipients')
export class AccessRecipientsHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  @Post()
  @ApiMinPosition()
  @ApiCreatedResponse({ type: AccessSharedDoc, description: 'The new invitations, one per recipient' })
  @ApiOperation({
    operationId: 'addAccessRecipients',
    summary: 'Invite more people to an access',
    description:
      'Any owner may add recipients to an active access, by every rule of a share. A revoked or expired access ' +
      'takes none (409 `access.ended`), nor does one restricted to a deleted billing account ' +
      '(409 `access.billing_account_deleted`).',
  })
  @ApiProblems(400, 401, 403, 404, 409, 422, [
    429,
    'At most so many invitations per account per day (`invitation.daily_limit`); retry after `Retry-After` seconds',
  ])
  async add(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('accessId', new PathId('access')) accessId: string,
    @Body() body: AddRecipientsDto,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<AccessSharedResult> {
    // SEC-8b: recipients see the caller's address as the inviter's.
    requireVerifiedEmail(caller, 'invite people: recipients see it as the inviter');
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    const payload = { accountId, accessId, recipients: [...body.recipients] };
    return this.dispatcher.command(subjects.invitation.addRecipients, payload, caller, minPosition);
  }
}
