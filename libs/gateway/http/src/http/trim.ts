import type { TransformFnParams } from 'class-transformer';

/** `@Transform(trimmed)`: trims strings, leaves anything else for the validators to refuse. */
export function trimmed({ value }: TransformFnParams): unknown {
  return typeof value === 'string' ? value.trim() : value;
}
