import { IsUserId } from '../http/user-id';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { LIMITS } from '@accord/contracts';
import { trimmed } from '../http/trim';
import type { IssuedToken } from '../auth/jwt';

export class DevTokenDto {
  @ApiProperty({ format: 'email', maxLength: LIMITS.email, example: 'ann@example.com' })
  @Transform(trimmed)
  @IsString()
  @MaxLength(LIMITS.email)
  @IsEmail()
  readonly email!: string;

  @IsOptional()
  @IsUserId('Defaults to a stable id derived from the e-mail address', false)
  readonly userId?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  readonly emailVerified?: boolean;
}

export class IssuedTokenDoc implements IssuedToken {
  @ApiProperty({ description: 'Send as Authorization: Bearer <token>' }) readonly token!: string;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
}
