import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subjects, type AuthzCheckPayload } from '@accord/contracts';
import { ApiTokenAllowed } from '../auth/caller-policy';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Dispatcher } from '../dispatch/dispatcher';
import { GatewayError, accountNotFound } from '../problem/gateway-error';
import { ApiProblems } from '../problem/problem.doc';
import { AuthzAnswerDoc, AuthzCheckDto } from './member.dto';
import { ApiTokenAccepted } from '../openapi/security';

/**
 * "May P do A on R?" over HTTP (internal services also use NATS `accord.authz.check`). A caller may
 * ask about themselves; only an internal service token may ask about anyone, otherwise the answer
 * would tell who belongs to which account.
 */
@ApiTags('authorization')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/authz')
export class AuthzHttpController {
  constructor(private readonly dispatcher: Dispatcher) {}

  @Post('check')
  @ApiTokenAllowed()
  @HttpCode(200)
  @ApiOkResponse({ type: AuthzAnswerDoc })
  @ApiOperation({ operationId: 'checkPermission', summary: 'Check whether a user or API token may do something' })
  @ApiProblems(
    400,
    401,
    [403, 'Asked about someone else (`authz.other_subject`)'],
    [404, 'An API token asked about another account (`account.not_found`)'],
    409,
    422,
  )
  async check(@Body() body: AuthzCheckDto, @CurrentCaller() caller: Caller): Promise<AuthzAnswerDoc> {
    // An API token asks only about itself, in its own account.
    if (caller.apiToken && body.accountId.toLowerCase() !== caller.apiToken.accountId.toLowerCase())
      throw accountNotFound();
    // A token's answer is the token's, never its user's wider one: it must name itself.
    const aboutSelf = caller.apiToken
      ? body.tokenId === caller.apiToken.tokenId
      : body.tokenId === undefined && body.userId === caller.person.userId;
    if (!aboutSelf && !caller.internalService) {
      throw new GatewayError({
        kind: 'forbidden',
        code: 'authz.other_subject',
        message: 'you may check your own permissions only',
        field: body.tokenId ? 'tokenId' : 'userId',
      });
    }
    const { minPosition, userId, tokenId, ...rest } = body;
    // About a token, the token's own user is asked about (the service knows it from the token).
    const payload: AuthzCheckPayload = {
      ...rest,
      userId: tokenId ? '' : (userId ?? ''),
      ...(tokenId ? { tokenId } : {}),
    };
    const decision = await this.dispatcher.query(subjects.authz.check, payload, minPosition);
    // INV-29: a member whose access is time-limited is told until when.
    const until = decision.accessExpiresAt === undefined ? {} : { accessExpiresAt: decision.accessExpiresAt };
    return { allowed: decision.allowed, reason: decision.reason, ...until };
  }
}
