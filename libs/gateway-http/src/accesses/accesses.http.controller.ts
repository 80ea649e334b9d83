import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { subjects, type AccessSharedResult, type AccessView, type BillingAccountView, type ShareAccessPayload } from '@accord/contracts';
import { invalidInput } from '../problem/gateway-error';
import { CurrentCaller, type Caller } from '../auth/caller';
import { refuseImpersonation } from '../auth/impersonation';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiProblems } from '../problem/problem.doc';
import { AccessSharedDoc, AccessViewDoc, ShareAccessDto } from './access.dto';
import { shareAccessPayload } from './share-access';

@ApiTags('accesses')
@ApiBearerAuth()
@ApiProblems()
@Controller('v1/accounts/:accountId/accesses')
export class AccessesHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /** Shares access with people by e-mail: one invitation per recipient. */
  @Post()
  @ApiCreatedResponse({ type: AccessSharedDoc })
  async share(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: ShareAccessDto,
    @CurrentCaller() caller: Caller,
  ): Promise<AccessSharedResult> {
    refuseImpersonation(caller);
    const payload = shareAccessPayload(accountId, body);
    await this.authorizer.require(caller, accountId, MANAGE_USERS);
    if (payload.scope.type === 'restricted') await this.requireBillingAccount(accountId, payload.scope.billingAccountId);
    return this.dispatcher.command<ShareAccessPayload, AccessSharedResult>(subjects.invitation.shareAccess, payload, caller);
  }

  @Get()
  @ApiMinPosition()
  @ApiOkResponse({ type: [AccessViewDoc] })
  async list(
    @Param('accountId', new PathId('account')) accountId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<AccessView[]> {
    refuseImpersonation(caller);
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    return this.dispatcher.query<{ accountId: string }, AccessView[]>(subjects.invitation.accessesOfAccount, { accountId }, minPosition);
  }

  /** A restricted share names a billing account of this account (seed 000 "Access Scope"). */
  private async requireBillingAccount(accountId: string, billingAccountId: string): Promise<void> {
    const billing = await this.dispatcher.query<{ accountId: string }, BillingAccountView[]>(subjects.membership.billingAccounts, { accountId });
    if (!billing.some((b) => b.id === billingAccountId)) {
      throw invalidInput([{ field: 'scope.billingAccountId', message: 'no such billing account in this account' }], 'billing_account.not_found');
    }
  }
}
