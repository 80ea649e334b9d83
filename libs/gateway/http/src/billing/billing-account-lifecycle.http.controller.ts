import { Body, Controller, Delete, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { LIMITS, subjects, type CommandResult } from '@accord/contracts';
import { AccountCommandResultDoc } from '../accounts/account-lifecycle.http.controller';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS } from '../dispatch/route-permissions';
import { PathId } from '../http/path-id.pipe';
import { trimmed } from '../http/trim';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';

export class RenameBillingAccountDto {
  @ApiProperty({ minLength: 1, maxLength: LIMITS.name, example: 'EU invoices', description: 'Trimmed' })
  @Transform(trimmed)
  @IsString()
  @Length(1, LIMITS.name)
  readonly name!: string;
}

/** A billing account's lifecycle after its creation: renamed (MEM-25) and deleted (MEM-26), by owners. */
@ApiTags('members')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/billing-accounts')
export class BillingAccountLifecycleHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  @Patch(':billingAccountId')
  @ApiOkResponse({ type: AccountCommandResultDoc })
  @ApiOperation({ operationId: 'renameBillingAccount', summary: 'Rename a billing account (owners)' })
  @ApiProblems(400, 401, 403, 404, 409, [410, 'The account is closed (`account.closed`)'], 422)
  async rename(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('billingAccountId', new PathId('billing_account')) billingAccountId: string,
    @Body() body: RenameBillingAccountDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CommandResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS);
    return this.dispatcher.command(
      subjects.membership.renameBillingAccount,
      { accountId, billingAccountId, name: body.name },
      caller,
    );
  }

  /**
   * MEM-26: refused with 409 `billing_account.in_use` while any member is restricted to it (change
   * their scope first). Pending invitations restricted to it are not checked here: accepting one
   * afterwards adds nobody (MEM-16), so revoke them first.
   */
  @Delete(':billingAccountId')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountCommandResultDoc })
  @ApiOperation({ operationId: 'deleteBillingAccount', summary: 'Delete a billing account nobody is restricted to' })
  @ApiProblems(
    400,
    401,
    403,
    404,
    [409, 'A member is restricted to it (`billing_account.in_use`), or the Idempotency-Key is still running'],
    [410, 'The account is closed (`account.closed`)'],
    422,
  )
  async remove(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('billingAccountId', new PathId('billing_account')) billingAccountId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<CommandResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS);
    return this.dispatcher.command(subjects.membership.deleteBillingAccount, { accountId, billingAccountId }, caller);
  }
}
