import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { subjects, type InvitationSettingsView } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';

export class InvitationSettingsViewDoc implements InvitationSettingsView {
  @ApiProperty({ format: 'uuid' }) readonly accountId!: string;
  @ApiProperty({ description: 'How long the account’s invitation links stay valid, in hours (72 by default)' })
  readonly expiryHours!: number;
}

/** The account's invitation settings. */
@ApiTags('invitations')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId')
export class InvitationSettingsGetHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /** For whoever may change them (`PUT …/invitation-settings`): the account's owners. */
  @Get('invitation-settings')
  @ApiMinPosition()
  @ApiOkResponse({ type: InvitationSettingsViewDoc })
  @ApiOperation({
    operationId: 'getInvitationSettings',
    summary: 'Show how long the account’s invitation links stay valid',
  })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Param('accountId', new PathId('account')) accountId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<InvitationSettingsView> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    return this.dispatcher.query(subjects.invitation.settings, { accountId }, minPosition);
  }
}
