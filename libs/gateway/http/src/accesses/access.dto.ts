import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ACCESS_TYPES,
  LIMITS,
  ROLES,
  type AccessSharedResult,
  type AccessType,
  type AccessView,
  type InvitationStatus,
  type Role,
  type Scope,
} from '@accord/contracts';
import { trimmed } from '../http/trim';
import { IsRecipientList } from './recipients';

/** For OpenAPI enums: the contract has the type only. */
export const INVITATION_STATUSES: readonly InvitationStatus[] = [
  'pending',
  'accepted',
  'declined',
  'revoked',
  'expired',
];

/** MEM-15, INV-20: global (every billing account) or restricted to one. */
export class ScopeDto {
  @ApiProperty({ enum: ['global', 'restricted'] })
  @IsIn(['global', 'restricted'])
  readonly type!: 'global' | 'restricted';

  @ApiPropertyOptional({ format: 'uuid', maxLength: 36, description: 'Required when type is restricted' })
  @ValidateIf((scope: ScopeDto) => scope.type === 'restricted')
  @MaxLength(36)
  @IsUUID()
  readonly billingAccountId?: string;
}

const trimmedEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((entry: unknown) => (typeof entry === 'string' ? entry.trim() : entry)) : value;

export class ShareAccessDto {
  @ApiProperty({
    minLength: 1,
    maxLength: LIMITS.name,
    example: 'Finance team',
    description: 'Seen by the sharer only',
  })
  @Transform(trimmed)
  @IsString()
  @Length(1, LIMITS.name)
  readonly name!: string;

  @ApiProperty({ enum: ACCESS_TYPES, description: 'Only delegate is available for now' })
  @IsIn(ACCESS_TYPES)
  readonly type!: AccessType;

  @ApiProperty({ type: ScopeDto, description: 'Only global is available for now' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ScopeDto)
  readonly scope!: ScopeDto;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  readonly role!: Role;

  @ApiProperty({
    type: [String],
    format: 'email',
    maxLength: LIMITS.email,
    minItems: 1,
    maxItems: LIMITS.recipients,
    example: ['ann@example.com'],
    description: `At most ${LIMITS.email} characters each, no duplicates`,
  })
  @Transform(trimmedEach)
  @IsRecipientList()
  readonly recipients!: string[];

  @ApiPropertyOptional({
    maxLength: LIMITS.message,
    description:
      'Shown to the recipients in the invitation; free text: line feeds and tabs allowed, no other control characters',
  })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.message)
  readonly message?: string;
}

class InvitationDoc {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'email' }) readonly email!: string;
  @ApiProperty({ enum: INVITATION_STATUSES }) readonly status!: InvitationStatus;
}

export class AccessSharedDoc implements AccessSharedResult {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ type: [InvitationDoc] }) readonly invitations!: InvitationDoc[];
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
  @ApiProperty({ description: 'Store position: pass as ?minPosition= to read your write' }) readonly position!: number;
}

class AccessRecipientDoc {
  @ApiProperty({ format: 'email' }) readonly email!: string;
  @ApiProperty({ format: 'uuid' }) readonly invitationId!: string;
  @ApiProperty({ enum: INVITATION_STATUSES }) readonly status!: InvitationStatus;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
}

export class AccessViewDoc implements AccessView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ enum: ACCESS_TYPES }) readonly type!: AccessType;
  @ApiProperty({ type: ScopeDto }) readonly scope!: Scope;
  @ApiProperty({ enum: ROLES }) readonly role!: Role;
  @ApiProperty({ description: 'User id of the sharer' }) readonly sharedBy!: string;
  @ApiProperty({ format: 'date-time' }) readonly sharedAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
  @ApiProperty({ type: [AccessRecipientDoc] }) readonly recipients!: AccessRecipientDoc[];
}
