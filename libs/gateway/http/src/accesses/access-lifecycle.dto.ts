import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import {
  ACCESS_STATUSES,
  LIMITS,
  type AccessRenamedResult,
  type AccessRevokedResult,
  type AccessStatus,
} from '@accord/contracts';
import { trimmed, trimmedEach } from '../http/trim';
import { IsRecipientList } from './recipients';

/** INV-27: more people for an existing access. */
export class AddRecipientsDto {
  @ApiProperty({
    type: [String],
    format: 'email',
    maxLength: LIMITS.email,
    minItems: 1,
    maxItems: LIMITS.recipients,
    example: ['ann@example.com'],
    description:
      `At most ${LIMITS.email} characters each, no duplicates; an access has at most ${LIMITS.recipients} ` +
      'recipients in all. The rules of a share hold: no current member, one pending invitation per e-mail, the daily quota',
  })
  @Transform(trimmedEach)
  @IsRecipientList()
  readonly recipients!: string[];
}

/** INV-28: the sharer's new name for their access. */
export class RenameAccessDto {
  @ApiProperty({
    minLength: 1,
    maxLength: LIMITS.name,
    example: 'Finance team (2027)',
    description: 'Seen by the sharer only',
  })
  @Transform(trimmed)
  @IsString()
  @Length(1, LIMITS.name)
  readonly name!: string;
}

export class AccessRenamedDoc implements AccessRenamedResult {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ description: 'The access’s name now' }) readonly name!: string;
  @ApiProperty({ description: 'Store position: pass as ?minPosition= to read your write' }) readonly position!: number;
}

export class AccessRevokedDoc implements AccessRevokedResult {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ enum: ACCESS_STATUSES, description: '`revoked`' }) readonly status!: AccessStatus;
  @ApiProperty({
    description:
      'Store position of the revocation. The members who joined through the access are removed just after, by reaction',
  })
  readonly position!: number;
}
