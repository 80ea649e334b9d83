import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { trimmed } from '../http/trim';
import type { IssuedToken } from '../auth/jwt';

export class DevTokenDto {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'ann@example.com' })
  @Transform(trimmed)
  @IsString()
  @MaxLength(254)
  @IsEmail()
  readonly email!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 128, description: 'Defaults to a stable id derived from the e-mail address' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
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
