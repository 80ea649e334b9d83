import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, Matches, MaxLength } from 'class-validator';

/**
 * `<section>:read` / `<section>:manage`, or an SBS scope `service:action:resource` (seed 002, `*`
 * only as the last segment); the services check each against the catalog.
 */
export const PERMISSION_PATTERN = /^([a-z][a-z0-9-]*:(read|manage)|[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*:([A-Za-z0-9][A-Za-z0-9._-]*|\*))$/;

export const MAX_PERMISSIONS = 200;
export const MAX_PERMISSION_LENGTH = 200;

/** A list of up to 200 permissions of up to 200 characters, each naming its offending index on a 400. */
export const IsPermissionList = () =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(MAX_PERMISSIONS),
    MaxLength(MAX_PERMISSION_LENGTH, { each: true }),
    Matches(PERMISSION_PATTERN, { each: true, message: 'each permission is <section>:read, <section>:manage or service:action:resource' }),
  );
