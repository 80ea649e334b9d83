import type { TransformFnParams } from 'class-transformer';

/** `@Transform(trimmed)`: trims strings, leaves anything else for the validators to refuse. */
export function trimmed({ value }: TransformFnParams): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

/** `@Transform(trimmedEach)`: trims the strings of a list, leaves anything else for the validators. */
export function trimmedEach({ value }: Pick<TransformFnParams, 'value'>): unknown {
  return Array.isArray(value)
    ? value.map((entry: unknown) => (typeof entry === 'string' ? entry.trim() : entry))
    : value;
}
