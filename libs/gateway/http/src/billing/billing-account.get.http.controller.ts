import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { subjects, type BillingAccountView } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { READ_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiTokenAccepted } from '../openapi/security';
import { GatewayError } from '../problem/gateway-error';
import { ApiProblems } from '../problem/problem.doc';

export class BillingAccountViewDoc implements BillingAccountView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly name!: string;
}

/** One billing account of the account. */
@ApiTags('members')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/billing-accounts')
export class BillingAccountGetHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /**
   * Seen by whoever the list shows it to: a member with `billing:read` in that billing account
   * (SEC-6a). One the caller may not see is a 404, as if it did not exist: the list leaves it out.
   */
  @Get(':billingAccountId')
  @ApiMinPosition()
  @ApiOkResponse({ type: BillingAccountViewDoc })
  @ApiOperation({ operationId: 'getBillingAccount', summary: 'Show one billing account the caller may see' })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('billingAccountId', new PathId('billing_account')) billingAccountId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<BillingAccountView> {
    await this.authorizer.require(caller, accountId, READ_USERS, minPosition);
    if (!(await this.authorizer.allows(caller, accountId, 'billing:read', billingAccountId, minPosition))) {
      throw new GatewayError({
        kind: 'not_found',
        code: 'billing_account.not_found',
        message: 'billing_account not found',
      });
    }
    return this.dispatcher.query(subjects.membership.billingAccount, { accountId, billingAccountId }, minPosition);
  }
}
