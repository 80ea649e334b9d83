import { Controller, Get, Param, type PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CUSTOM_ROLE_NAME_PATTERN, subjects, type CustomRoleView } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { READ_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiTokenAccepted } from '../openapi/security';
import { GatewayError } from '../problem/gateway-error';
import { ApiProblems } from '../problem/problem.doc';

export class CustomRoleViewDoc implements CustomRoleView {
  @ApiProperty({ example: 'dns-admin' }) readonly name!: string;
  @ApiProperty({ type: [String], example: ['dns:manage'] }) readonly permissions!: readonly string[];
}

/** A name no custom role can have names none (as EDGE-4 for ids): 404, and no service is asked. */
export class CustomRoleNamePipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !CUSTOM_ROLE_NAME_PATTERN.test(value))
      throw new GatewayError({ kind: 'not_found', code: 'role.not_found', message: 'role not found' });
    return value;
  }
}

/** One custom role of the account. */
@ApiTags('members')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/roles')
export class CustomRoleGetHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  /** As the role list shows it, with the list's permission; built-in roles are not custom roles (404). */
  @Get(':name')
  @ApiMinPosition()
  @ApiOkResponse({ type: CustomRoleViewDoc })
  @ApiOperation({ operationId: 'getCustomRole', summary: 'Show one custom role of the account' })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('name', new CustomRoleNamePipe()) name: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<CustomRoleView> {
    await this.authorizer.require(caller, accountId, READ_USERS, minPosition);
    return this.dispatcher.query(subjects.membership.customRole, { accountId, name }, minPosition);
  }
}
