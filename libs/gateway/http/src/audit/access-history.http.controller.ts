import { Controller, createParamDecorator, Get, Param, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { LIMITS, MAX_INSTANT_LENGTH, subjects, type AccessHistoryPayload } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { HiddenFromImpersonation } from '../auth/caller-policy';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { READ_ACCESS_HISTORY } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiProblems } from '../problem/problem.doc';
import { ApiTokenAccepted } from '../openapi/security';
import { parseAccessHistoryQuery } from './access-history-query';
import { AccessAtAnswerDoc } from './access-history.dto';

/** The raw query string values, checked by `parseAccessHistoryQuery`. */
const RawQuery = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Readonly<Record<string, unknown>> =>
    (context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown> | undefined) ?? {},
);

/**
 * "Who could do X at time T" for the account's owners: `accord access-at` over HTTP. Hidden from
 * impersonation like accesses and tokens: the answer names who granted what to whom.
 */
@ApiTags('audit')
@ApiBearerAuth()
@ApiProblems()
@HiddenFromImpersonation()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/access-history')
export class AccessHistoryHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getAccessAt',
    summary: 'Whether a user held a permission at an instant, and through which events',
    description:
      'The authorization check replayed on the account as it stood at `at` (events at exactly `at` count): ' +
      'the same answer as the live check when `at` is now. Account owners only; refused while impersonating.',
  })
  @ApiQuery({ name: 'userId', required: true, description: 'The user asked about' })
  @ApiQuery({
    name: 'permission',
    required: true,
    schema: { type: 'string', minLength: 1, maxLength: LIMITS.permission, example: 'vps:manage' },
  })
  @ApiQuery({
    name: 'at',
    required: true,
    schema: { type: 'string', format: 'date-time', maxLength: MAX_INSTANT_LENGTH, example: '2030-01-31T12:00:00Z' },
    description: 'The instant, with its zone (`Z` or an offset; URL-encode a `+`)',
  })
  @ApiQuery({
    name: 'billingAccountId',
    required: false,
    schema: { type: 'string', format: 'uuid' },
    description: 'Ask within this billing account, as a check about a billing account’s resource does',
  })
  @ApiMinPosition()
  @ApiOkResponse({ type: AccessAtAnswerDoc })
  @ApiProblems(400, 401, 403, 404)
  async accessAt(
    @Param('accountId', new PathId('account')) accountId: string,
    @RawQuery() query: Readonly<Record<string, unknown>>,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<AccessAtAnswerDoc> {
    const asked = parseAccessHistoryQuery(query);
    await this.authorizer.require(caller, accountId, READ_ACCESS_HISTORY, minPosition);
    const payload: AccessHistoryPayload = { accountId, ...asked };
    const answer = await this.dispatcher.query(subjects.membership.accessHistory, payload);
    return { ...answer, grants: [...answer.grants] };
  }
}
