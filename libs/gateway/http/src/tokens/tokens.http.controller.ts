import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  TOKEN_STATUSES,
  subjects,
  type CommandResult,
  type IssueTokenPayload,
  type ListTokensPayload,
  type RevokeTokenPayload,
  type RotateTokenPayload,
  type TokenIssuedResult,
  type TokenPolicyPayload,
  type TokenRotatedResult,
  type TokenView,
} from '@accord/contracts';
import { HiddenFromImpersonation } from '../auth/caller-policy';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS, USE_API } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { ApiPage, Paged, oneOfQueryValue, type PageBody, type Paging } from '../http/pagination';
import { PathId } from '../http/path-id.pipe';
import { GatewayError } from '../problem/gateway-error';
import { ApiProblems } from '../problem/problem.doc';
import { toScope } from '../members/members.http.controller';
import {
  IssueTokenDto,
  RotateTokenDto,
  TokenIssuedDoc,
  TokenPolicyDto,
  TokenRotatedDoc,
  TokenViewDoc,
} from './token.dto';
import { ApiTokenAccepted } from '../openapi/security';

const TOKEN_LIST = { name: 'tokens', key: ['instant', 'uuid'] } as const;

@ApiTags('tokens')
@ApiBearerAuth()
@ApiProblems()
@HiddenFromImpersonation()
@Controller('v1/accounts/:accountId')
export class TokensHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /**
   * TOK-1: a token holds the same permissions as the user who issued it, or fewer, never more.
   * The token service checks each asked permission and the scope against the user's current
   * grant itself (SEC-10c, one round trip), and every later check intersects the token with its
   * user's CURRENT rights (TOK-2).
   */
  @Post('tokens')
  @ApiMinPosition()
  @ApiCreatedResponse({ type: TokenIssuedDoc })
  @ApiOperation({ operationId: 'issueApiToken', summary: 'Issue an API token; its secret is in this answer only' })
  @ApiProblems(
    400,
    401,
    [403, 'Not allowed, or an API token tried to issue one (`authz.denied`, `token.no_minting`)'],
    404,
    409,
    422,
  )
  async issue(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: IssueTokenDto,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<TokenIssuedResult> {
    if (caller.apiToken) {
      throw new GatewayError({
        kind: 'forbidden',
        code: 'token.no_minting',
        message: 'an API token cannot issue tokens; sign in to create one',
      });
    }
    await this.authorizer.require(caller, accountId, USE_API, minPosition);
    const scope = body.scope ? toScope(body.scope) : undefined;
    const payload: IssueTokenPayload = {
      accountId,
      userId: caller.person.userId,
      email: caller.person.email,
      name: body.name,
      ...(body.permissions ? { permissions: body.permissions } : {}),
      ...(scope ? { scope } : {}),
      ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt).toISOString() } : {}),
    };
    return this.dispatcher.command(subjects.token.issue, payload, caller, minPosition);
  }

  /** Owners see every token of the account; anyone else their own. Never the secrets. Oldest first. */
  @Get('tokens')
  @ApiMinPosition()
  @ApiQuery({
    name: 'status',
    required: false,
    schema: { type: 'string', enum: [...TOKEN_STATUSES] },
    description: '`active`: usable now; `revoked`; `expired`: past its expiry, not revoked',
  })
  @ApiPage(TokenViewDoc, 'ApiTokenPage')
  @ApiOperation({
    operationId: 'listApiTokens',
    summary: 'List API tokens: all of the account for an owner, else the caller’s own',
  })
  @ApiProblems(400, 401, 403, 404)
  @ApiTokenAccepted()
  async list(
    @Param('accountId', new PathId('account')) accountId: string,
    @Paged(TOKEN_LIST) paging: Paging,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<PageBody<TokenView>> {
    const status = oneOfQueryValue(paging.query, 'status', TOKEN_STATUSES);
    await this.authorizer.require(caller, accountId, USE_API, minPosition);
    const owner = await this.authorizer.allows(caller, accountId, MANAGE_USERS, undefined, minPosition);
    const payload: ListTokensPayload = {
      accountId,
      ...(owner ? {} : { userId: caller.person.userId }),
      ...(status ? { status } : {}),
      limit: paging.limit,
      ...(paging.after ? { after: paging.after } : {}),
    };
    return paging.answer(await this.dispatcher.query(subjects.token.list, payload, minPosition));
  }

  /** By the token's user or an owner. */
  @Delete('tokens/:tokenId')
  @HttpCode(200)
  @ApiMinPosition()
  @ApiOperation({ operationId: 'revokeApiToken', summary: 'Revoke an API token' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  @ApiTokenAccepted()
  async revoke(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('tokenId', new PathId('token')) tokenId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<CommandResult> {
    await this.authorizer.require(caller, accountId, USE_API, minPosition);
    // Whether the caller may revoke others' tokens (owners) is the token service's to find out.
    const payload: RevokeTokenPayload = { accountId, tokenId };
    return this.dispatcher.command(subjects.token.revoke, payload, caller, minPosition);
  }

  /**
   * TOK-16: a new secret for the same token, by whoever may revoke it, signed in (never with an API
   * token). The previous secret keeps working for `graceHours` (TOK-17).
   */
  @Post('tokens/:tokenId/rotate')
  @HttpCode(200)
  @ApiMinPosition()
  @ApiOkResponse({ type: TokenRotatedDoc })
  @ApiOperation({
    operationId: 'rotateApiToken',
    summary: 'Rotate an API token: a new secret, in this answer only; the previous one works for a grace period',
  })
  @ApiProblems(
    400,
    401,
    [403, 'Not allowed, or an API token tried to rotate one (`authz.denied`, `token.no_minting`)'],
    404,
    [409, 'The token is revoked or expired (`token.revoked`, `token.expired`)'],
    422,
  )
  async rotate(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('tokenId', new PathId('token')) tokenId: string,
    @Body() body: RotateTokenDto,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<TokenRotatedResult> {
    if (caller.apiToken) {
      throw new GatewayError({
        kind: 'forbidden',
        code: 'token.no_minting',
        message: 'an API token cannot rotate tokens; sign in to rotate one',
      });
    }
    await this.authorizer.require(caller, accountId, USE_API, minPosition);
    // Whether the caller may rotate others' tokens (owners) is the token service's to find out.
    const payload: RotateTokenPayload = {
      accountId,
      tokenId,
      ...(body.graceHours === undefined ? {} : { graceHours: body.graceHours }),
    };
    return this.dispatcher.command(subjects.token.rotate, payload, caller, minPosition);
  }

  /** The account's maximum token lifetime (TOK-6). */
  @Put('token-policy')
  @ApiMinPosition()
  @ApiOperation({ operationId: 'setTokenPolicy', summary: 'Set the account’s maximum API token lifetime' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  @ApiTokenAccepted()
  async policy(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: TokenPolicyDto,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<CommandResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    const payload: TokenPolicyPayload = { accountId, maxLifetimeDays: body.maxLifetimeDays };
    return this.dispatcher.command(subjects.token.setPolicy, payload, caller, minPosition);
  }
}
