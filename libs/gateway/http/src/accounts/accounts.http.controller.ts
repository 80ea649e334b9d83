import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  subjects,
  type AccountCreatedResult,
  type AccountsOfUserPayload,
  type AccountView,
  type CreateAccountPayload,
} from '@accord/contracts';
import { ApiTokenAllowed } from '../auth/caller-policy';
import { CurrentCaller, type Caller } from '../auth/caller';
import { ApiPage, Paged, type PageBody, type Paging } from '../http/pagination';
import { requireVerifiedEmail } from '../auth/verified-email';
import { Dispatcher } from '../dispatch/dispatcher';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { ApiProblems } from '../problem/problem.doc';
import { AccountCreatedDoc, AccountViewDoc, CreateAccountDto } from './account.dto';
import { ApiTokenAccepted } from '../openapi/security';

const ACCOUNT_LIST = { name: 'accounts', key: ['instant', 'uuid'] } as const;

@ApiTags('accounts')
@ApiBearerAuth()
@ApiProblems()
@Controller('v1/accounts')
export class AccountsHttpController {
  constructor(private readonly dispatcher: Dispatcher) {}

  /** The caller becomes the account's root owner. */
  @Post()
  @ApiCreatedResponse({ type: AccountCreatedDoc })
  @ApiOperation({ operationId: 'createAccount', summary: 'Create an account, with the caller as its root owner' })
  @ApiProblems(
    400,
    401,
    [
      403,
      'The caller’s e-mail address is not verified, or an API token was sent (`email.unverified`, `token.not_allowed`)',
    ],
    409,
    422,
  )
  async create(@Body() body: CreateAccountDto, @CurrentCaller() caller: Caller): Promise<AccountCreatedResult> {
    requireVerifiedEmail(caller, 'create an account: its members see it as the owner');
    const payload: CreateAccountPayload = {
      name: body.name,
      owner: { userId: caller.person.userId, email: caller.person.email },
    };
    const created = await this.dispatcher.command(subjects.membership.createAccount, payload, caller);
    return { id: created.id, name: created.name, position: created.position };
  }

  /** Accounts the caller is a member of, oldest first; for an API token, only the token's own account. */
  @Get()
  @ApiTokenAllowed()
  @ApiMinPosition()
  @ApiPage(AccountViewDoc, 'AccountPage')
  @ApiOperation({ operationId: 'listAccounts', summary: 'List the accounts the caller is a member of' })
  @ApiProblems(400, 401)
  @ApiTokenAccepted()
  async list(
    @Paged(ACCOUNT_LIST) paging: Paging,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<PageBody<AccountView>> {
    const tokenAccount = caller.apiToken?.accountId;
    const payload: AccountsOfUserPayload = {
      userId: caller.person.userId,
      limit: paging.limit,
      ...(paging.after ? { after: paging.after } : {}),
      ...(tokenAccount !== undefined ? { accountId: tokenAccount } : {}),
    };
    return paging.answer(await this.dispatcher.query(subjects.membership.accountsOfUser, payload, minPosition));
  }
}
