import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import type { MemberAccessView, MemberView, Scope, SupportAccessLevel } from '@accord/contracts';
import { ScopeDto } from '../accesses/access.dto';
import { IsPermissionList, MAX_PERMISSIONS, MAX_PERMISSION_LENGTH } from '../http/permission-list';
import { trimmed } from '../http/trim';

export class MemberViewDoc implements MemberView {
  @ApiProperty() readonly userId!: string;
  @ApiProperty({ format: 'email' }) readonly email!: string;
  @ApiProperty({ description: 'owner, administrator, accountant, read-only, or a custom role' }) readonly role!: string;
  @ApiProperty({ enum: ['active'] }) readonly status!: 'active';
  @ApiProperty() readonly isRootOwner!: boolean;
  @ApiProperty({ type: ScopeDto }) readonly scope!: Scope;
  @ApiProperty({ format: 'date-time' }) readonly joinedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: "The owner's name for this member" }) readonly displayName!: string | null;
  @ApiProperty({ type: [String], description: 'Granted on top of the role, expanded' }) readonly permissions!: readonly string[];
  @ApiProperty() readonly mayCreateEnvironments!: boolean;
}

/** Seed 001 "Edit" and seed 004 "Changing roles": every field optional, at least one expected. */
export class ChangeMemberDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 50, example: 'accountant' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  readonly role?: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_PERMISSIONS, maxLength: MAX_PERMISSION_LENGTH, example: ['servers:read'] })
  @IsOptional()
  @IsPermissionList()
  readonly permissions?: string[];

  @ApiPropertyOptional({ type: ScopeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScopeDto)
  readonly scope?: ScopeDto;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(0, 100)
  readonly displayName?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  readonly mayCreateEnvironments?: boolean;
}

export class TransferOwnershipDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'The member who becomes the root owner' })
  @IsString()
  @Length(1, 200)
  readonly userId!: string;
}

export class AccountDisplayNameDto {
  @ApiProperty({ type: String, nullable: true, maxLength: 100, description: 'Your own name for this account (empty to clear)' })
  @Transform(trimmed)
  @IsString()
  @Length(0, 100)
  readonly displayName!: string;
}

export class MemberAccessDoc implements MemberAccessView {
  @ApiProperty() readonly userId!: string;
  @ApiProperty() readonly role!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', enum: ['management', 'read only', 'none'] } })
  readonly sections!: Readonly<Record<string, SupportAccessLevel>>;
}

export class BillingAccountDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  readonly name!: string;
}

export class CustomRoleDto {
  @ApiProperty({ minLength: 1, maxLength: 50, pattern: '^[a-z][a-z0-9-]{0,49}$', example: 'dns-admin' })
  @IsString()
  @MaxLength(50)
  @Matches(/^[a-z][a-z0-9-]{0,49}$/, { message: 'a role name is lower-case letters, digits and dashes' })
  readonly name!: string;

  @ApiProperty({ type: [String], maxItems: MAX_PERMISSIONS, maxLength: MAX_PERMISSION_LENGTH, example: ['dns:manage', 'ssl:read'] })
  @IsPermissionList()
  readonly permissions!: string[];
}

export class AuthzCheckDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, description: 'The user asked about (or give tokenId)' })
  @ValidateIf((o: AuthzCheckDto) => o.tokenId === undefined)
  @IsString()
  @Length(1, 200)
  readonly userId?: string;

  @ApiPropertyOptional({ format: 'uuid', maxLength: 36, description: "An API token: answers with the token's effective permissions" })
  @IsOptional()
  @MaxLength(36)
  @IsUUID()
  readonly tokenId?: string;

  @ApiProperty({ format: 'uuid', maxLength: 36 }) @MaxLength(36) @IsUUID() readonly accountId!: string;
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'vps:manage' }) @IsString() @Length(1, 200) readonly permission!: string;
  @ApiPropertyOptional({ format: 'uuid', maxLength: 36 }) @IsOptional() @MaxLength(36) @IsUUID() readonly billingAccountId?: string;
  @ApiPropertyOptional({ description: 'Answer only once the check reflects this store position' })
  @IsOptional()
  @IsInt()
  @Min(0)
  readonly minPosition?: number;
}
