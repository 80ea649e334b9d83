import { IsUserId } from '../http/user-id';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CUSTOM_ROLE_NAME_PATTERN,
  LIMITS,
  type MemberAccessView,
  type MemberView,
  type Scope,
  type SupportAccessLevel,
} from '@accord/contracts';
import { ScopeDto } from '../accesses/access.dto';
import { IsPermissionList } from '../http/permission-list';
import { trimmed } from '../http/trim';

export class MemberViewDoc implements MemberView {
  @ApiProperty() readonly userId!: string;
  @ApiProperty({ format: 'email' }) readonly email!: string;
  @ApiProperty({ description: 'owner, administrator, accountant, read-only, or a custom role' }) readonly role!: string;
  @ApiProperty({ enum: ['active'] }) readonly status!: 'active';
  @ApiProperty() readonly isRootOwner!: boolean;
  @ApiProperty({ type: ScopeDto }) readonly scope!: Scope;
  @ApiProperty({ format: 'date-time' }) readonly joinedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: "The owner's name for this member" })
  readonly displayName!: string | null;
  @ApiProperty({ type: [String], description: 'Granted on top of the role, expanded' })
  readonly permissions!: readonly string[];
  @ApiProperty() readonly mayCreateEnvironments!: boolean;
}

/** MEM-3: what an owner changes of a member (MEM-12, MEM-15, MEM-17); every field optional, at least one expected. */
export class ChangeMemberDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: LIMITS.customRoleName, example: 'accountant' })
  @IsOptional()
  @IsString()
  @Length(1, LIMITS.customRoleName)
  readonly role?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: LIMITS.permissionsPerRequest,
    maxLength: LIMITS.permission,
    example: ['servers:read'],
  })
  @IsOptional()
  @IsPermissionList()
  readonly permissions?: string[];

  @ApiPropertyOptional({ type: ScopeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScopeDto)
  readonly scope?: ScopeDto;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: LIMITS.name })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(0, LIMITS.name)
  readonly displayName?: string | null;

  @ApiPropertyOptional({
    description: 'Allow the member to create new environments (the environments:create permission)',
  })
  @IsOptional()
  @IsBoolean()
  readonly mayCreateEnvironments?: boolean;
}

export class TransferOwnershipDto {
  @IsUserId('The member who becomes the root owner')
  readonly userId!: string;
}

export class AccountDisplayNameDto {
  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: LIMITS.name,
    description: 'Your own name for this account (empty to clear)',
  })
  @Transform(trimmed)
  @IsString()
  @Length(0, LIMITS.name)
  readonly displayName!: string;
}

export class MemberAccessDoc implements MemberAccessView {
  @ApiProperty() readonly userId!: string;
  @ApiProperty() readonly role!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', enum: ['management', 'read only', 'none'] } })
  readonly sections!: Readonly<Record<string, SupportAccessLevel>>;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the time-limited access the member joined through ends (they are removed then); null: it does not end',
  })
  readonly accessExpiresAt!: string | null;
}

/** The authorization check's answer over HTTP. */
export class AuthzAnswerDoc {
  @ApiProperty() readonly allowed!: boolean;
  @ApiProperty({ description: 'Why, in words (e.g. `access expired` past the end of a time-limited access)' })
  readonly reason!: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the member’s time-limited access ends; absent when it does not end (or not a member)',
  })
  readonly accessExpiresAt?: string;
}

export class BillingAccountDto {
  @ApiProperty({ minLength: 1, maxLength: LIMITS.name })
  @Transform(trimmed)
  @IsString()
  @Length(1, LIMITS.name)
  readonly name!: string;
}

export class CustomRoleDto {
  @ApiProperty({
    minLength: 1,
    maxLength: LIMITS.customRoleName,
    pattern: CUSTOM_ROLE_NAME_PATTERN.source,
    example: 'dns-admin',
  })
  @IsString()
  @MaxLength(LIMITS.customRoleName)
  @Matches(CUSTOM_ROLE_NAME_PATTERN, { message: 'a role name is lower-case letters, digits and dashes' })
  readonly name!: string;

  @ApiProperty({
    type: [String],
    maxItems: LIMITS.permissionsPerRequest,
    maxLength: LIMITS.permission,
    example: ['dns:manage', 'ssl:read'],
  })
  @IsPermissionList()
  readonly permissions!: string[];
}

export class AuthzCheckDto {
  @IsUserId('The user asked about (or give tokenId)', false)
  @ValidateIf((o: AuthzCheckDto) => o.tokenId === undefined)
  readonly userId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    maxLength: 36,
    description: "An API token: answers with the token's effective permissions",
  })
  @IsOptional()
  @MaxLength(36)
  @IsUUID()
  readonly tokenId?: string;

  @ApiProperty({ format: 'uuid', maxLength: 36 }) @MaxLength(36) @IsUUID() readonly accountId!: string;
  @ApiProperty({
    minLength: 1,
    maxLength: 200,
    example: 'vps:manage',
    description:
      '<section>:read, <section>:manage, service:action:resource, or a special permission: ' +
      'environments:create (owners, and members allowed to create environments) or ' +
      'servers:transfer (the root owner only)',
  })
  @IsString()
  @Length(1, 200)
  readonly permission!: string;
  @ApiPropertyOptional({ format: 'uuid', maxLength: 36 })
  @IsOptional()
  @MaxLength(36)
  @IsUUID()
  readonly billingAccountId?: string;
  @ApiPropertyOptional({ description: 'Answer only once the check reflects this store position' })
  @IsOptional()
  @IsInt()
  @Min(0)
  readonly minPosition?: number;
}
