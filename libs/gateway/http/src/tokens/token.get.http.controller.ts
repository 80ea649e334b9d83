import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { subjects, type GetTokenPayload, type TokenPolicyView, type TokenView } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { HiddenFromImpersonation } from '../auth/caller-policy';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS, USE_API } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';
import { TokenViewDoc } from './token.dto';

export class TokenPolicyDoc implements TokenPolicyView {
  @ApiProperty({ format: 'uuid' }) readonly accountId!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The longest an API token of the account may live, in days; null = no maximum',
  })
  readonly maxLifetimeDays!: number | null;
}

/** One API token, and the account's token policy. */
@ApiTags('tokens')
@ApiBearerAuth()
@ApiProblems()
@HiddenFromImpersonation()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId')
export class TokenGetHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /** As the token list shows it, to whom it shows it: an owner any token of the account, anyone else their own. */
  @Get('tokens/:tokenId')
  @ApiMinPosition()
  @ApiOkResponse({ type: TokenViewDoc })
  @ApiOperation({
    operationId: 'getApiToken',
    summary: 'Show one API token: any of the account for an owner, else one of the caller’s own',
  })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('tokenId', new PathId('token')) tokenId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<TokenView> {
    await this.authorizer.require(caller, accountId, USE_API, minPosition);
    const owner = await this.authorizer.allows(caller, accountId, MANAGE_USERS, undefined, minPosition);
    // Someone else's token is "not found" to a non-owner, exactly as the list leaves it out.
    const payload: GetTokenPayload = owner
      ? { accountId, tokenId }
      : { accountId, tokenId, userId: caller.person.userId };
    return this.dispatcher.query(subjects.token.get, payload, minPosition);
  }

  /** The account's maximum token lifetime (TOK-6), for whoever may set it. */
  @Get('token-policy')
  @ApiMinPosition()
  @ApiOkResponse({ type: TokenPolicyDoc })
  @ApiOperation({ operationId: 'getTokenPolicy', summary: 'Show the account’s maximum API token lifetime' })
  @ApiProblems(400, 401, 403, 404)
  async policy(
    @Param('accountId', new PathId('account')) accountId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<TokenPolicyView> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    return this.dispatcher.query(subjects.token.policy, { accountId }, minPosition);
  }
}
