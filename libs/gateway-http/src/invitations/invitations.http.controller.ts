import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { subjects, type AcceptInvitationPayload, type InvitationAcceptedResult, type MyInvitationView } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Dispatcher } from '../dispatch/dispatcher';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { GatewayError } from '../problem/gateway-error';
import { ApiProblems } from '../problem/problem.doc';
import { InvitationAcceptedDoc, MyInvitationDoc, myInvitation } from './invitation.dto';

@ApiTags('invitations')
@ApiBearerAuth()
@ApiProblems()
@Controller('v1')
export class InvitationsHttpController {
  constructor(private readonly dispatcher: Dispatcher) {}

  /** Invitations sent to the caller's e-mail address. */
  @Get('me/invitations')
  @ApiMinPosition()
  @ApiOkResponse({ type: [MyInvitationDoc] })
  async mine(@CurrentCaller() caller: Caller, @MinPosition() minPosition?: number): Promise<MyInvitationView[]> {
    // Invitations are addressed by e-mail: an unverified address proves nothing, and listing by
    // it would show anyone who types someone else's address what that person was invited to.
    if (!caller.person.emailVerified) {
      throw new GatewayError({ kind: 'forbidden', code: 'email.unverified', message: 'verify your e-mail address to see invitations sent to it' });
    }
    const views = await this.dispatcher.query<{ email: string }, MyInvitationView[]>(
      subjects.invitation.invitationsForEmail,
      { email: caller.person.email },
      minPosition,
    );
    return views.map(myInvitation);
  }

  /** Accepts an invitation as the caller; the invitation service checks addressee and verification. */
  @Post('invitations/:invitationId/accept')
  @HttpCode(200)
  @ApiMinPosition()
  @ApiOkResponse({ type: InvitationAcceptedDoc })
  accept(
    @Param('invitationId', new PathId('invitation')) invitationId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<InvitationAcceptedResult> {
    const payload: AcceptInvitationPayload = { invitationId, person: caller.person };
    return this.dispatcher.command<AcceptInvitationPayload, InvitationAcceptedResult>(subjects.invitation.acceptInvitation, payload, caller, minPosition);
  }
}
