import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { MAX_USER_ID_LENGTH, USER_ID_PATTERN } from '@accord/contracts';

/**
 * A user id in a body: the identity provider's `sub`, one documented format everywhere (contracts
 * `USER_ID_PATTERN`: printable ASCII, 1–255 characters, no "/" and no whitespace).
 */
export function IsUserId(description: string, required = true): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      required,
      minLength: 1,
      maxLength: MAX_USER_ID_LENGTH,
      pattern: USER_ID_PATTERN.source,
      description,
    }),
    IsString(),
    MaxLength(MAX_USER_ID_LENGTH),
    Matches(USER_ID_PATTERN, {
      message: `$property must be 1 to ${MAX_USER_ID_LENGTH} printable ASCII characters without "/" or spaces`,
    }),
  );
}
