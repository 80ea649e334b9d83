import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { LIMITS, type AccountCreatedResult, type AccountView, type Scope } from '@accord/contracts';
import { ScopeDto } from '../accesses/access.dto';
import { trimmed } from '../http/trim';

export class CreateAccountDto {
  @ApiProperty({ minLength: 1, maxLength: LIMITS.name, example: 'Acme production', description: 'Trimmed' })
  @Transform(trimmed)
  @IsString()
  @Length(1, LIMITS.name)
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
  @ApiProperty({ description: "The caller's role" }) readonly role!: string;
  @ApiProperty({ format: 'email' }) readonly ownerEmail!: string;
  @ApiProperty() readonly isRootOwner!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Your own name for this account, shown in your account list ("Shared with me")',
  })
  readonly displayName!: string | null;
  @ApiProperty() readonly mayCreateEnvironments!: boolean;
  @ApiProperty({ type: ScopeDto }) readonly scope!: Scope;
}
