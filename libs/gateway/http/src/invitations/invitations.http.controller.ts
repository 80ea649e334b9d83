import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  INVITATION_STATUSES,
  subjects,
  type InvitationsForEmailPayload,
  type AcceptByTokenPayload,
  type AcceptInvitationPayload,
  type DeclineInvitationPayload,
  type InvitationAcceptedResult,
  type InvitationChangedResult,
  type InvitationLinkView,
  type IssueTokenPayload,
  type MyInvitationView,
} from '@accord/contracts';
import { HiddenFromImpersonation } from '../auth/caller-policy';
import { CurrentCaller, type Caller } from '../auth/caller';
import { requireVerifiedEmail } from '../auth/verified-email';
import { Public } from '../auth/public.decorator';
import { AttemptLimiter } from '../limits/attempt-limiter';
import { Dispatcher } from '../dispatch/dispatcher';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { ApiPage, Paged, oneOfQueryValue, type PageBody, type Paging } from '../http/pagination';
import { PathId } from '../http/path-id.pipe';
import { ApiProblems } from '../problem/problem.doc';
import {
  AcceptByTokenDto,
  InvitationAcceptedDoc,
  InvitationChangedDoc,
  InvitationLinkDoc,
  MyInvitationDoc,
  invitationLink,
  myInvitation,
} from './invitation.dto';
import { ApiPublic } from '../openapi/security';

/** Newest first: the keyset runs backwards over (shared at, invitation id). */
const MY_INVITATION_LIST = { name: 'me.invitations', key: ['instant', 'uuid'] } as const;

@ApiTags('invitations')
@ApiBearerAuth()
@ApiProblems()
@Controller('v1')
export class InvitationsHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly limiter: AttemptLimiter,
  ) {}

  /** Invitations sent to the caller's e-mail address, newest first; `status` filters them. */
  @Get('me/invitations')
  @HiddenFromImpersonation()
  @ApiMinPosition()
  @ApiQuery({
    name: 'status',
    required: false,
    schema: { type: 'string', enum: [...INVITATION_STATUSES] },
    description: 'Only invitations in this state',
  })
  @ApiPage(MyInvitationDoc, 'MyInvitationPage')
  @ApiOperation({
    operationId: 'listMyInvitations',
    summary: 'List the invitations sent to the caller’s e-mail address',
    description:
      'Each with the account’s name, the inviter’s e-mail, role, scope, message, status and expiry; never the ' +
      'name the sharer gave the access.',
  })
  @ApiProblems(400, 401, 403)
  async mine(
    @Paged(MY_INVITATION_LIST) paging: Paging,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<PageBody<MyInvitationView>> {
    const status = oneOfQueryValue(paging.query, 'status', INVITATION_STATUSES);
    // Invitations are addressed by e-mail: an unverified address proves nothing, and listing by
    // it would show anyone who types someone else's address what that person was invited to.
    requireVerifiedEmail(caller, 'see invitations sent to it');
    const payload: InvitationsForEmailPayload = {
      email: caller.person.email,
      limit: paging.limit,
      ...(paging.after ? { after: paging.after } : {}),
      ...(status ? { status } : {}),
    };
    const page = await this.dispatcher.query(subjects.invitation.invitationsForEmail, payload, minPosition);
    return paging.answer({ ...page, items: page.items.map(myInvitation) });
  }

  /** Accepts an invitation as the caller; the invitation service checks addressee and verification. */
  @Post('invitations/:invitationId/accept')
  @HttpCode(200)
  @ApiMinPosition()
  @ApiOkResponse({ type: InvitationAcceptedDoc })
  @ApiOperation({ operationId: 'acceptInvitation', summary: 'Accept an invitation sent to the caller' })
  @ApiProblems(400, 401, 403, 404, 409, 422, [
    429,
    'Too many accept attempts (`rate_limit.accept_attempts`); retry after `Retry-After` seconds',
  ])
  async accept(
    @Param('invitationId', new PathId('invitation')) invitationId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<InvitationAcceptedResult> {
    this.limiter.attempt('accept', caller.person.userId);
    const payload: AcceptInvitationPayload = { invitationId, person: caller.person };
    const result = await this.dispatcher.command(subjects.invitation.acceptInvitation, payload, caller, minPosition);
    return this.withApiToken(result, caller);
  }

  /** Accepts through the e-mailed link's token, for the signed-in person it was sent to. */
  @Post('invitations/accept-token')
  @HttpCode(200)
  @ApiOkResponse({ type: InvitationAcceptedDoc })
  @ApiOperation({ operationId: 'acceptInvitationByToken', summary: 'Accept an invitation through its e-mailed link' })
  @ApiProblems(400, 401, 403, 404, 409, 422, [
    429,
    'Too many accept attempts (`rate_limit.accept_attempts`); retry after `Retry-After` seconds',
  ])
  async acceptByToken(
    @Body() body: AcceptByTokenDto,
    @CurrentCaller() caller: Caller,
  ): Promise<InvitationAcceptedResult> {
    this.limiter.attempt('accept', caller.person.userId);
    const payload: AcceptByTokenPayload = { token: body.token, person: caller.person };
    const result = await this.dispatcher.command(subjects.invitation.acceptByToken, payload, caller);
    return this.withApiToken(result, caller);
  }

  /**
   * INV-19, SEC-10e: accepting an access of type API token issues the recipient an API key
   * with the access's scope; its secret is in this response, once. Nothing can lose it: if this
   * issue fails, accepting again returns `issueApiToken` again, and the token service keeps one
   * live token per invitation (an earlier, possibly undelivered secret is revoked and replaced).
   */
  private async withApiToken(result: InvitationAcceptedResult, caller: Caller): Promise<InvitationAcceptedResult> {
    const { issueApiToken, ...accepted } = result;
    if (!issueApiToken) return accepted;
    const payload: IssueTokenPayload = {
      issuedVia: 'access',
      invitationId: issueApiToken.invitationId,
      accountId: result.accountId,
      userId: caller.person.userId,
      email: caller.person.email,
      name: `Access ${issueApiToken.accessId.slice(0, 8)}`,
      scope: issueApiToken.scope,
    };
    const issued = await this.dispatcher.command(subjects.token.issue, payload, caller);
    return {
      ...accepted,
      apiToken: { id: issued.id, token: issued.token, prefix: issued.prefix },
      position: Math.max(accepted.position, issued.position),
    };
  }

  /** Declines an invitation addressed to the caller. */
  @Post('invitations/:invitationId/decline')
  @HttpCode(200)
  @ApiMinPosition()
  @ApiOkResponse({ type: InvitationChangedDoc })
  @ApiOperation({ operationId: 'declineInvitation', summary: 'Decline an invitation sent to the caller' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  decline(
    @Param('invitationId', new PathId('invitation')) invitationId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<InvitationChangedResult> {
    const payload: DeclineInvitationPayload = { invitationId, person: caller.person };
    return this.dispatcher.command(subjects.invitation.declineInvitation, payload, caller, minPosition);
  }

  /**
   * What an invitation link shows (account, inviter, role, message, expiry). Public and read-only:
   * mail scanners and link previews follow links, so viewing must never consume the invitation.
   * Every invalid link gets the same 404.
   */
  @Public()
  @Get('invitations/by-token/:token')
  @ApiOkResponse({ type: InvitationLinkDoc })
  @ApiOperation({
    operationId: 'getInvitationByLink',
    summary: 'Show what an invitation link is for, without using it',
  })
  @ApiProblems([404, 'No pending invitation has this link (every invalid link answers the same)'])
  @ApiPublic()
  async byToken(@Param('token') token: string): Promise<InvitationLinkView> {
    return invitationLink(await this.dispatcher.query(subjects.invitation.invitationByToken, { token }));
  }
}
