import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  subjects,
  type CustomRoleView,
  type PermissionCatalogView,
  type PermissionSectionView,
} from '@accord/contracts';
import { ApiTokenAllowed } from '../auth/caller-policy';
import { Dispatcher } from '../dispatch/dispatcher';
import { READ_PERMISSION_CATALOG } from '../dispatch/route-permissions';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';

const LEVEL_ENUM = ['read', 'manage'];

class PermissionSectionDoc implements PermissionSectionView {
  @ApiProperty({ example: 'servers' }) readonly name!: string;
  @ApiProperty({
    type: [String],
    example: ['cloud-servers', 'ssh-keys'],
    description: 'Granting this section also grants these, at the same level',
  })
  readonly implies!: readonly string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: LEVEL_ENUM },
    description: 'Levels a permission list may give a non-owner: empty for owner-only and available-to-all sections',
  })
  readonly grantableLevels!: readonly ('read' | 'manage')[];
  @ApiProperty({ description: 'Only owners hold it (every member may still read the user list)' })
  readonly ownerOnly!: boolean;
  @ApiProperty({ description: 'Every member uses it without a grant' }) readonly availableToAll!: boolean;
  @ApiProperty({ description: 'About the account itself, not one billing account: a restricted scope keeps it' })
  readonly accountLevel!: boolean;
}

class BuiltInRoleDoc implements CustomRoleView {
  @ApiProperty({ example: 'accountant' }) readonly name!: string;
  @ApiProperty({ type: [String], example: ['billing:manage'] }) readonly permissions!: readonly string[];
}

class PermissionCatalogDoc implements PermissionCatalogView {
  @ApiProperty({ type: 'array', items: { type: 'string', enum: LEVEL_ENUM }, description: '`manage` includes `read`' })
  readonly levels!: readonly ('read' | 'manage')[];
  @ApiProperty({ type: [PermissionSectionDoc] }) readonly sections!: readonly PermissionSectionDoc[];
  @ApiProperty({ type: [BuiltInRoleDoc], description: 'The built-in roles and what each holds' })
  readonly roles!: readonly BuiltInRoleDoc[];
  @ApiProperty({
    type: [String],
    example: ['environments:create', 'servers:transfer'],
    description: 'Permissions no permission list grants: `mayCreateEnvironments`, and being the root owner',
  })
  readonly special!: readonly string[];
}

/**
 * The permission catalog, so a client builds its permission forms from the catalog in force
 * (sections, levels, which sections a grant implies) instead of a copy of it. It names no account
 * and no one's grants: any signed-in caller may read it, an API token too.
 */
@ApiTags('members')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/permissions')
export class PermissionsHttpController {
  constructor(private readonly dispatcher: Dispatcher) {}

  @Get()
  @ApiTokenAllowed()
  @ApiOkResponse({ type: PermissionCatalogDoc })
  @ApiOperation({
    operationId: 'getPermissionCatalog',
    summary: 'Show the permission catalog: sections, levels, implied sections, built-in roles',
    description: `Who may ask: ${READ_PERMISSION_CATALOG}.`,
  })
  @ApiProblems(401, 403)
  catalog(): Promise<PermissionCatalogView> {
    return this.dispatcher.query(subjects.membership.permissionCatalog, {});
  }
}
