import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, Matches, MaxLength } from 'class-validator';
import { LIMITS, PERMISSION_PATTERN } from '@accord/contracts';

/**
 * A list of up to `LIMITS.permissionsPerRequest` permissions of up to `LIMITS.permission` characters
 * each, matching `PERMISSION_PATTERN`, each naming its offending index on a 400.
 */
export const IsPermissionList = () =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(LIMITS.permissionsPerRequest),
    MaxLength(LIMITS.permission, { each: true }),
    Matches(PERMISSION_PATTERN, {
      each: true,
      message: 'each permission is <section>:read, <section>:manage or service:action:resource',
    }),
  );
