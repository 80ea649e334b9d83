import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { ROLES, type AccountCreatedResult, type AccountView, type Role } from '@accord/contracts';
import { trimmed } from '../http/trim';

export class CreateAccountDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Acme production', description: 'Trimmed' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  readonly name!: string;
}

export class AccountCreatedDoc implements AccountCreatedResult {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ description: 'Store position: pass as ?minPosition= to read your write' }) readonly position!: number;
}

export class AccountViewDoc implements AccountView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ enum: ROLES, description: "The caller's role" }) readonly role!: Role;
  @ApiProperty({ format: 'email' }) readonly ownerEmail!: string;
  @ApiProperty() readonly isRootOwner!: boolean;
}
