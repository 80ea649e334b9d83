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

/** A DTO body must be a JSON object: an array or a bare string would otherwise be read field by field. */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (metadata.type === 'body' && value !== undefined && !isObject) {
      throw invalidInput([{ field: 'body', message: 'the request body must be a JSON object' }]);
    }
    return super.transform(value, metadata);
  }
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
