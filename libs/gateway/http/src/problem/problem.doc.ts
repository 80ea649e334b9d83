import { applyDecorators } from '@nestjs/common';
import { ApiDefaultResponse, ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { FieldError } from './gateway-error';
import { PROBLEM_CONTENT_TYPE, type Problem } from './problem';

export class FieldErrorDoc implements FieldError {
  @ApiProperty({ example: 'recipients[0]' }) readonly field!: string;
  @ApiProperty({ example: 'must be a valid e-mail address of at most 254 characters' }) readonly message!: string;
}

/** OpenAPI shape of the RFC 9457 body every error carries. */
export class ProblemDoc implements Problem {
  @ApiProperty({ example: 'urn:accord:problem:validation' }) readonly type!: string;
  @ApiProperty({ example: 'Invalid request' }) readonly title!: string;
  @ApiProperty({ example: 400 }) readonly status!: number;
  @ApiProperty({ example: 'name must be longer than or equal to 1 characters' }) readonly detail!: string;
  @ApiProperty({ description: 'Stable machine-readable code', example: 'request.invalid' }) readonly code!: string;
  @ApiPropertyOptional({ description: '400 only: the first offending field', example: 'name' }) readonly field?: string;
  @ApiPropertyOptional({ type: [FieldErrorDoc], description: '400 only: every offending field' })
  readonly errors?: FieldErrorDoc[];
}

/** Documents the problem+json answer of every error status on a controller. */
export function ApiProblems(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDoc),
    ApiDefaultResponse({
      description: 'Any error, as RFC 9457 problem details (400, 401, 403, 404, 409, 429, 503)',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDoc) } } },
    }),
  );
}
