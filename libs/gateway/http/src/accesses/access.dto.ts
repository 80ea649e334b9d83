import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
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
  ACCESS_STATUSES,
  ACCESS_TYPES,
  LIMITS,
  MAX_INSTANT_LENGTH,
  RECIPIENT_END_REASONS,
  ROLES,
  type AccessGrantView,
  type AccessRecipientView,
  type AccessSharedResult,
  type AccessStatus,
  type AccessType,
  type InvitationStatus,
  type RecipientEndReason,
  type RecipientStatus,
  type Role,
  type Scope,
} from '@accord/contracts';
import { IsPermissionList } from '../http/permission-list';
import { trimmed, trimmedEach } from '../http/trim';
import type { AccessSeenView } from './access-view';
import { IsRecipientList } from './recipients';

/** For OpenAPI enums: the contract has the type only. */
export const INVITATION_STATUSES: readonly InvitationStatus[] = [
  'pending',
  'accepted',
  'declined',
  'revoked',
  'expired',
];

/** A recipient row's statuses for the sharer (INV-24): an accepted invitation whose membership ended is `ended`. */
export const RECIPIENT_STATUSES: readonly RecipientStatus[] = [...INVITATION_STATUSES, 'ended'];

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

  @ApiPropertyOptional({
    type: [String],
    maxItems: LIMITS.permissionsPerRequest,
    maxLength: LIMITS.permission,
    example: ['account-api:query:*'],
    description:
      'Permissions the recipients join with beside the role: validated as in PATCH /v1/accounts/{accountId}/members/{userId} ' +
      '(<section>:read, <section>:manage or service:action:resource; expanded with related sections; nothing owner-only; ' +
      'never a permission the sharer does not hold: 403 permission.beyond_sharer). Not with the owner role.',
  })
  @IsOptional()
  @IsPermissionList()
  readonly permissions?: string[];

  @ApiPropertyOptional({
    description: 'Recipients may create environments (the environments:create permission); default false',
  })
  @IsOptional()
  @IsBoolean()
  readonly mayCreateEnvironments?: boolean;

  @ApiPropertyOptional({
    format: 'date-time',
    maxLength: MAX_INSTANT_LENGTH,
    example: '2027-06-30T23:59:59Z',
    description:
      'Time-limited access: when it ends (ISO-8601 with a zone; after now, at most one year ahead). The members who ' +
      'joined through it are then removed and their API tokens revoked; the owners are notified. Absent: it does not end',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_INSTANT_LENGTH)
  readonly accessExpiresAt?: string;
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

class AccessRecipientDoc implements AccessRecipientView {
  @ApiProperty({ format: 'email' }) readonly email!: string;
  @ApiProperty({ format: 'uuid' }) readonly invitationId!: string;
  @ApiProperty({
    enum: RECIPIENT_STATUSES,
    description: '`ended`: the recipient had accepted, and what they gained has ended since (see `endedReason`)',
  })
  readonly status!: RecipientStatus;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When it ended; present only when status is `ended`' })
  readonly endedAt?: string;
  @ApiPropertyOptional({
    enum: RECIPIENT_END_REASONS,
    description:
      'Why it ended, present only when status is `ended`: `removed` by an owner, `left`, `access_revoked`, ' +
      '`expired` (the access’s time ran out), `account_closed`. Clients should accept values added later.',
  })
  readonly endedReason?: RecipientEndReason;
}

/** What an access grants beside its role, as owners and recipients see it (INV-26, AUTHZ-16). */
export class AccessGrantDoc implements AccessGrantView {
  @ApiProperty({
    type: [String],
    description:
      'The permissions chosen when sharing (members joining through it hold exactly them); empty: the role’s',
  })
  readonly permissions!: string[];
  @ApiProperty({ description: 'Whether its members may create environments (`environments:create`)' })
  readonly mayCreateEnvironments!: boolean;
}

export class AccessViewDoc extends AccessGrantDoc implements AccessSeenView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The sharer’s own label: shown to the owner who shared the access only, null for everyone else',
  })
  readonly name!: string | null;
  @ApiProperty({ enum: ACCESS_TYPES }) readonly type!: AccessType;
  @ApiProperty({ type: ScopeDto }) readonly scope!: Scope;
  @ApiProperty({ enum: ROLES }) readonly role!: Role;
  @ApiProperty({ description: 'User id of the sharer' }) readonly sharedBy!: string;
  @ApiProperty({ format: 'date-time' }) readonly sharedAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
  @ApiProperty({ type: [AccessRecipientDoc] }) readonly recipients!: AccessRecipientDoc[];
  @ApiProperty({
    enum: ACCESS_STATUSES,
    description: '`active` until an owner revokes it (`revoked`) or its `accessExpiresAt` passes (`expired`)',
  })
  readonly status!: AccessStatus;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the access ends: the members who joined through it are removed then; null: it does not end',
  })
  readonly accessExpiresAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it was revoked or ran out; null while active',
  })
  readonly endedAt!: string | null;
}
