import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  subjects,
  type BillingAccountView,
  type CommandResult,
  type CreateBillingAccountPayload,
  type CustomRoleView,
  type DefineCustomRolePayload,
  type NameAccountPayload,
} from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS, READ_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { ApiPage, Paged, type PageBody, type Paging } from '../http/pagination';
import { PathId } from '../http/path-id.pipe';
import { BillingAccountViewDoc } from '../billing/billing-account.get.http.controller';
import { CustomRoleViewDoc } from '../roles/custom-role.get.http.controller';
import { ApiProblems } from '../problem/problem.doc';
import { AccountDisplayNameDto, BillingAccountDto, CustomRoleDto, TransferOwnershipDto } from './member.dto';
import { ApiTokenAccepted } from '../openapi/security';

const BILLING_ACCOUNT_LIST = { name: 'billing-accounts', key: ['instant', 'uuid'] } as const;
/** Custom roles by name: unique in the account and never renamed. */
const CUSTOM_ROLE_LIST = { name: 'roles', key: ['string'] } as const;

/** A member's own actions on an account, ownership, billing accounts and custom roles. */
@ApiTags('members')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId')
export class AccountMembershipHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /** MEM-9: leaving the account (removing yourself from the team, MEM-8); any member but the root owner. */
  @Post('leave')
  @HttpCode(200)
  @ApiOperation({ operationId: 'leaveAccount', summary: 'Leave the account' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  leave(
    @Param('accountId', new PathId('account')) accountId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<CommandResult> {
    return this.dispatcher.command(subjects.membership.leaveAccount, { accountId }, caller);
  }

  /** The root owner makes another member the root; they stay an owner themselves. */
  @Post('ownership-transfer')
  @HttpCode(200)
  @ApiOperation({ operationId: 'transferOwnership', summary: 'Make another member the root owner' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async transfer(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: TransferOwnershipDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CommandResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS);
    return this.dispatcher.command(subjects.membership.transferOwnership, { accountId, userId: body.userId }, caller);
  }

  /** MEM-18: the caller's own name for this account, shown in "Shared with me" (MEM-19). */
  @Put('display-name')
  @ApiOperation({ operationId: 'nameAccount', summary: 'Set the caller’s own name for the account' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  nameAccount(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: AccountDisplayNameDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CommandResult> {
    const payload: NameAccountPayload = { accountId, displayName: body.displayName || null };
    return this.dispatcher.command(subjects.membership.nameAccount, payload, caller);
  }

  @Post('billing-accounts')
  @ApiOperation({ operationId: 'createBillingAccount', summary: 'Create a billing account in the account' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async createBillingAccount(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: BillingAccountDto,
    @CurrentCaller() caller: Caller,
  ): Promise<BillingAccountView & CommandResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS);
    const payload: CreateBillingAccountPayload = { accountId, name: body.name };
    return this.dispatcher.command(subjects.membership.createBillingAccount, payload, caller);
  }

  /**
   * The billing accounts the caller may see: all of them, or only theirs when restricted. A page
   * may hold fewer than `limit` (those the caller may not see are left out of it) and still have a `next`.
   */
  @Get('billing-accounts')
  @ApiMinPosition()
  @ApiPage(BillingAccountViewDoc, 'BillingAccountPage')
  @ApiOperation({ operationId: 'listBillingAccounts', summary: 'List the billing accounts the caller may see' })
  @ApiProblems(400, 401, 403, 404)
  async billingAccounts(
    @Param('accountId', new PathId('account')) accountId: string,
    @Paged(BILLING_ACCOUNT_LIST) paging: Paging,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<PageBody<BillingAccountView>> {
    // Being a member is the gate; which billing accounts they see is decided per billing account
    // (a restricted member's `billing:read` holds only in their own: SEC-6a, default-deny).
    await this.authorizer.require(caller, accountId, READ_USERS, minPosition);
    const payload = { accountId, limit: paging.limit, ...(paging.after ? { after: paging.after } : {}) };
    const page = await this.dispatcher.query(subjects.membership.billingAccounts, payload, minPosition);
    const allowed = await Promise.all(
      page.items.map((b) => this.authorizer.allows(caller, accountId, 'billing:read', b.id, minPosition)),
    );
    // The cursor stays the page's last key, seen or not: the next page starts after it either way.
    return paging.answer({ items: page.items.filter((_b, i) => allowed[i]), nextAfter: page.nextAfter });
  }

  @Post('roles')
  @ApiOperation({ operationId: 'defineCustomRole', summary: 'Define a custom role' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async defineRole(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: CustomRoleDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CommandResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS);
    const payload: DefineCustomRolePayload = { accountId, name: body.name, permissions: body.permissions };
    return this.dispatcher.command(subjects.membership.defineCustomRole, payload, caller);
  }

  @Get('roles')
  @ApiMinPosition()
  @ApiPage(CustomRoleViewDoc, 'CustomRolePage')
  @ApiOperation({ operationId: 'listCustomRoles', summary: 'List the account’s custom roles, by name' })
  @ApiProblems(400, 401, 403, 404)
  async roles(
    @Param('accountId', new PathId('account')) accountId: string,
    @Paged(CUSTOM_ROLE_LIST) paging: Paging,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<PageBody<CustomRoleView>> {
    await this.authorizer.require(caller, accountId, READ_USERS, minPosition);
    const payload = { accountId, limit: paging.limit, ...(paging.after ? { after: paging.after } : {}) };
    return paging.answer(await this.dispatcher.query(subjects.membership.customRoles, payload, minPosition));
  }
}
