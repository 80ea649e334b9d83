import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, Matches } from 'class-validator';

/**
 * `<section>:read` / `<section>:manage`, or an SBS scope `service:action:resource` (seed 002, `*`
 * only as the last segment); the services check each against the catalog.
 */
export const PERMISSION_PATTERN = /^([a-z][a-z0-9-]*:(read|manage)|[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*:([A-Za-z0-9][A-Za-z0-9._-]*|\*))$/;

/** A list of up to 200 permissions, each naming its offending index on a 400. */
export const IsPermissionList = () =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(200),
    Matches(PERMISSION_PATTERN, { each: true, message: 'each permission is <section>:read, <section>:manage or service:action:resource' }),
  );
