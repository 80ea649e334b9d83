import { Body, Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  subjects,
  type ChangeInvitationSettingsPayload,
  type InvitationChangedResult,
  type InvitationSettingsResult,
} from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiProblems } from '../problem/problem.doc';
import { InvitationChangedDoc, InvitationSettingsDoc, InvitationSettingsDto } from './invitation.dto';
import { ApiTokenAccepted } from '../openapi/security';

@ApiTags('invitations')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId')
export class AccountInvitationsHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /** A new link and a new expiry; the old link stops working. */
  @Post('invitations/:invitationId/resend')
  @HttpCode(200)
  @ApiOkResponse({ type: InvitationChangedDoc })
  @ApiOperation({ operationId: 'resendInvitation', summary: 'Resend a pending invitation with a new link and expiry' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  @ApiMinPosition()
  async resend(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('invitationId', new PathId('invitation')) invitationId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<InvitationChangedResult> {
    return this.onInvitation(subjects.invitation.resendInvitation, accountId, invitationId, caller, minPosition);
  }

  /** Revokes a pending invitation: its link can no longer be used. */
  @Delete('invitations/:invitationId')
  @HttpCode(200)
  @ApiOkResponse({ type: InvitationChangedDoc })
  @ApiOperation({ operationId: 'revokeInvitation', summary: 'Revoke a pending invitation' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  @ApiMinPosition()
  async revoke(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('invitationId', new PathId('invitation')) invitationId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<InvitationChangedResult> {
    return this.onInvitation(subjects.invitation.revokeInvitation, accountId, invitationId, caller, minPosition);
  }

  /** How long this account's invitation links stay valid (1 hour to 30 days; 72 hours by default). */
  @Put('invitation-settings')
  @ApiOkResponse({ type: InvitationSettingsDoc })
  @ApiOperation({
    operationId: 'setInvitationSettings',
    summary: 'Set how long the account’s invitation links stay valid',
  })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  @ApiMinPosition()
  async settings(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: InvitationSettingsDto,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<InvitationSettingsResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    const payload: ChangeInvitationSettingsPayload = { accountId, expiryHours: body.expiryHours };
    return this.dispatcher.command(subjects.invitation.changeSettings, payload, caller, minPosition);
  }

  /** An owner's command on one invitation of their account. */
  private async onInvitation(
    subject: typeof subjects.invitation.resendInvitation | typeof subjects.invitation.revokeInvitation,
    accountId: string,
    invitationId: string,
    caller: Caller,
    minPosition?: number,
  ): Promise<InvitationChangedResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    return this.dispatcher.command(subject, { accountId, invitationId }, caller, minPosition);
  }
}
