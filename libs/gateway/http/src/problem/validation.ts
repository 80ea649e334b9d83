import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { invalidInput, type FieldError } from './gateway-error';

/**
 * A class-validator constraint may explain itself field by field (e.g. `recipients[2]`) by putting
 * an `explain` function in its decorator `context`; otherwise its messages name the property.
 */
export interface ExplainingContext {
  readonly explain: (value: unknown, field: string) => readonly FieldError[];
}

/**
 * The one validation pipe: unknown fields are refused (a typo must not be silently ignored, and a
 * client must not smuggle fields into a command), types are not coerced, and the 400 names fields.
 */
export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => invalidInput(fieldErrorsOf(errors)),
  });
}

/**
 * A DTO body must be a JSON object: an array or a bare string would otherwise be read field by field.
 * It must not name an object's own machinery at any depth either: class-transformer reads a nested
 * `"constructor": "x"` as the object's class and throws (a 500 the fuzz spec found), and drops a
 * `"toString"` silently where any other unknown field is refused. No field of this API is called so.
 */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value !== undefined) {
      if (!isPlainObject(value)) {
        throw invalidInput([{ field: 'body', message: 'the request body must be a JSON object' }]);
      }
      const reserved = reservedKeyIn(value);
      if (reserved) throw invalidInput([{ field: reserved, message: `property ${reserved} is not allowed` }]);
    }
    return super.transform(value, metadata);
  }
}

/** `Object.prototype`'s own names (`__proto__`, `constructor`, `toString`…) and `prototype`. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The path of the first reserved key in a parsed JSON body, if any (JSON has no cycles). */
function reservedKeyIn(body: Record<string, unknown>): string | undefined {
  const pending: Array<[unknown, string]> = [[body, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push([item, `${path}[${index}]`]));
    } else if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        const field = pathOf(path, key);
        if (RESERVED_KEYS.has(key)) return field;
        pending.push([value[key], field]);
      }
    }
  }
  return undefined;
}

/** Flattens nested class-validator errors into `{field, message}` with JSON-ish paths. */
export function fieldErrorsOf(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = pathOf(parent, error.property);
    return [...ownErrors(error, field), ...fieldErrorsOf(error.children ?? [], field)];
  });
}

function pathOf(parent: string, property: string): string {
  if (!parent) return property || 'body';
  return /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}

function ownErrors(error: ValidationError, field: string): FieldError[] {
  return Object.entries(error.constraints ?? {}).flatMap(([name, message]) => {
    const context = error.contexts?.[name] as Partial<ExplainingContext> | undefined;
    return typeof context?.explain === 'function' ? [...context.explain(error.value, field)] : [{ field, message }];
  });
}
