import { Body, Controller, Delete, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subjects, type AccessRenamedResult, type AccessRevokedResult } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { HiddenFromImpersonation } from '../auth/caller-policy';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { MANAGE_USERS } from '../dispatch/route-permissions';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';
import { AccessRenamedDoc, AccessRevokedDoc, RenameAccessDto } from './access-lifecycle.dto';

/** INV-28: an access's name and its end by revocation. */
@ApiTags('accesses')
@ApiBearerAuth()
@ApiProblems()
@HiddenFromImpersonation()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/accesses')
export class AccessLifecycleHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
  ) {}

  @Patch(':accessId')
  @ApiMinPosition()
  @ApiOkResponse({ type: AccessRenamedDoc })
  @ApiOperation({
    operationId: 'renameAccess',
    summary: 'Rename an access',
    description:
      'The name is the sharer’s own label: only the owner who shared the access renames it; other owners, who ' +
      'see it without its name, get 403 `access.sharer_only`.',
  })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async rename(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('accessId', new PathId('access')) accessId: string,
    @Body() body: RenameAccessDto,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<AccessRenamedResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    const payload = { accountId, accessId, name: body.name };
    return this.dispatcher.command(subjects.invitation.renameAccess, payload, caller, minPosition);
  }

  @Delete(':accessId')
  @HttpCode(200)
  @ApiMinPosition()
  @ApiOkResponse({ type: AccessRevokedDoc })
  @ApiOperation({
    operationId: 'revokeAccess',
    summary: 'Revoke an access',
    description:
      'Any owner may revoke an access. Its pending invitations are revoked, and every member who joined through ' +
      'it is removed (`MemberRemoved` with reason `access_revoked`; they are e-mailed why and their API tokens are ' +
      'revoked). Revoking again changes nothing; an expired access is not revoked (409 `access.ended`).',
  })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async revoke(
    @Param('accountId', new PathId('account')) accountId: string,
    @Param('accessId', new PathId('access')) accessId: string,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<AccessRevokedResult> {
    await this.authorizer.require(caller, accountId, MANAGE_USERS, minPosition);
    return this.dispatcher.command(subjects.invitation.revokeAccess, { accountId, accessId }, caller, minPosition);
  }
}
