import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDateString,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LIMITS, type Scope, type TokenIssuedResult, type TokenRotatedResult, type TokenView } from '@accord/contracts';
import { ScopeDto } from '../accesses/access.dto';
import { IsPermissionList } from '../http/permission-list';
import { trimmed } from '../http/trim';

export class IssueTokenDto {
  @ApiProperty({ minLength: 1, maxLength: LIMITS.name, example: 'CI deploys' })
  @Transform(trimmed)
  @IsString()
  @Length(1, LIMITS.name)
  readonly name!: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: LIMITS.permissionsPerRequest,
    maxLength: LIMITS.permission,
    description: 'Narrower than yours; omitted = the same as yours, always',
    example: ['vps:read'],
  })
  @IsOptional()
  @IsPermissionList()
  readonly permissions?: string[];

  @ApiPropertyOptional({ type: ScopeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScopeDto)
  readonly scope?: ScopeDto;

  @ApiPropertyOptional({ format: 'date-time', maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsDateString({ strict: true })
  readonly expiresAt?: string;
}

export class TokenPolicyDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: LIMITS.tokenPolicyDays.min,
    maximum: LIMITS.tokenPolicyDays.max,
    description: 'Maximum token lifetime in days; null = none',
  })
  @ValidateIf((_o, value) => value !== null)
  @IsInt()
  @Min(LIMITS.tokenPolicyDays.min)
  @Max(LIMITS.tokenPolicyDays.max)
  readonly maxLifetimeDays!: number | null;
}

export class RotateTokenDto {
  @ApiPropertyOptional({
    type: Number,
    minimum: LIMITS.tokenGraceHours.min,
    maximum: LIMITS.tokenGraceHours.max,
    default: 0,
    example: 1,
    description: 'Hours the previous secret keeps working; 0 (the default) = it stops at once',
  })
  @IsOptional()
  @IsInt()
  @Min(LIMITS.tokenGraceHours.min)
  @Max(LIMITS.tokenGraceHours.max)
  readonly graceHours?: number;
}

export class TokenRotatedDoc implements TokenRotatedResult {
  @ApiProperty({ format: 'uuid', description: 'The same token id as before' }) readonly id!: string;
  @ApiProperty({ description: 'The new secret: shown this once, never again' }) readonly token!: string;
  @ApiProperty({ description: 'The new secret’s prefix' }) readonly prefix!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Unchanged by the rotation' })
  readonly expiresAt!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly rotatedAt!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'The previous secret works until then (never after; equal to rotatedAt with no grace)',
  })
  readonly graceEndsAt!: string;
  @ApiProperty() readonly position!: number;
}

export class TokenIssuedDoc implements TokenIssuedResult {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ description: 'The secret: shown this once, never again' }) readonly token!: string;
  @ApiProperty() readonly prefix!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readonly expiresAt!: string | null;
  @ApiProperty() readonly position!: number;
}

export class TokenViewDoc implements TokenView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly userId!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty() readonly prefix!: string;
  @ApiProperty({ type: [String], nullable: true }) readonly permissions!: readonly string[] | null;
  @ApiProperty({ type: ScopeDto, nullable: true }) readonly scope!: Scope | null;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readonly expiresAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readonly lastUsedAt!: string | null;
  @ApiProperty() readonly revoked!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'When the secret was last rotated (prefix is the current secret’s); null if never',
  })
  readonly rotatedAt!: string | null;
}
