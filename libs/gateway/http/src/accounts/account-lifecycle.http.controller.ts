import { Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { LIMITS, subjects, type CommandResult } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS } from '../dispatch/route-permissions';
import { PathId } from '../http/path-id.pipe';
import { trimmed } from '../http/trim';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';

export class RenameAccountDto {
  @ApiProperty({ minLength: 1, maxLength: LIMITS.name, example: 'Acme Europe', description: 'Trimmed' })
  @Transform(trimmed)
  @IsString()
  @Length(1, LIMITS.name)
  readonly name!: string;
}

export class CloseAccountDto {
  @ApiProperty({
    minLength: 1,
    maxLength: LIMITS.name,
    example: 'Acme Europe',
    description: 'The account’s current name, typed to confirm (compared after trimming, case-sensitive)',
  })
  @IsString()
  @Length(1, LIMITS.name)
  readonly confirmName!: string;
}

export class AccountCommandResultDoc implements CommandResult {
  @ApiProperty({ description: 'Store position: pass as ?minPosition= to read your write' }) readonly position!: number;
}

/**
 * The account's own lifecycle: renamed by an owner (MEM-21), closed by its root owner (MEM-22 to
 * MEM-24). The rules are the membership decider's; this route checks the owner permission as a
 * fast path only.
 */
@ApiTags('accounts')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId')
export class AccountLifecycleHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /** MEM-21: the name every member sees (each member's own name for it is `PUT …/display-name`). */
  @Patch()
  @ApiOkResponse({ type: AccountCommandResultDoc })
  @ApiOperation({ operationId: 'renameAccount', summary: 'Rename the account (owners)' })
  @ApiProblems(400, 401, 403, 404, 409, [410, 'The account is closed (`account.closed`)'], 422)
  async rename(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: RenameAccountDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CommandResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS);
    return this.dispatcher.command(subjects.membership.renameAccount, { accountId, name: body.name }, caller);
  }

  /**
   * MEM-22, MEM-23: the root owner, signed in, closes the account by typing its name. Every other
   * member is removed and e-mailed, every pending invitation revoked and every API token revoked;
   * the account then answers 410 to every command (MEM-24), drops out of the account list and
   * `GET /v1/accounts/{accountId}` answers 410 too, while its members, billing accounts and roles
   * stay readable by the root owner. A name that does not match is a 400 naming `confirmName`.
   */
  @Post('close')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountCommandResultDoc })
  @ApiOperation({ operationId: 'closeAccount', summary: 'Close the account for good (root owner)' })
  @ApiProblems(
    [400, 'Invalid request, or `confirmName` is not the account’s name (`account.confirm_name_mismatch`)'],
    401,
    [
      403,
      'Not the root owner (`account.root_only`, `users.owner_only`), or not signed in as a person (`account.close_signed_in`)',
    ],
    404,
    409,
    [410, 'The account is already closed (`account.closed`)'],
    422,
  )
  async close(
    @Param('accountId', new PathId('account')) accountId: string,
    @Body() body: CloseAccountDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CommandResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS);
    return this.dispatcher.command(
      subjects.membership.closeAccount,
      { accountId, confirmName: body.confirmName },
      caller,
    );
  }
}
