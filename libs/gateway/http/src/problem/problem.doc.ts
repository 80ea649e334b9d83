import { applyDecorators } from '@nestjs/common';
import {
  ApiDefaultResponse,
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
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
  @ApiPropertyOptional({ description: '400 and 403: the offending field', example: 'name' }) readonly field?: string;
  @ApiPropertyOptional({ type: [FieldErrorDoc], description: '400 only: every offending field' })
  readonly errors?: FieldErrorDoc[];
}

/**
 * The statuses a route can answer with a problem (problem.ts maps the error kinds to them): the
 * 4xx, and 503 for a route that answers it for a reason of its own.
 */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 422 | 429 | 503;

/** A status with what it means on this route, when the default sentence says too little. */
export type ProblemSpec = ProblemStatus | readonly [ProblemStatus, string];

/** What each status means on any route; a route may say more (`[status, description]`). */
const MEANING: Readonly<Record<ProblemStatus, string>> = {
  400: 'Invalid request: `field` and `errors` name what to fix (`request.invalid`)',
  401: 'No valid token: send `Authorization: Bearer <token>` (`auth.missing_token`, `auth.invalid_token`)',
  403: 'Not allowed for this caller (e.g. `authz.denied`, `token.not_allowed`, `impersonation.forbidden`)',
  404: 'Not found, or not visible to the caller (e.g. `account.not_found`)',
  409:
    'Conflicts with the current state, or the same Idempotency-Key is still running or answered with a secret ' +
    '(`idempotency.in_progress`, `idempotency.secret_not_replayable`)',
  410: 'Gone for good: the account is closed and takes no more commands (`account.closed`)',
  422: 'The Idempotency-Key was used before with another body (`idempotency.key_reused`)',
  429: 'Too many requests: retry after `Retry-After` seconds',
  503: 'Not available yet: retry after `Retry-After` seconds',
};

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds until a retry may succeed', schema: { type: 'integer', minimum: 1 } },
};

/** Headers that travel with a status (problem.ts `headersFor`). */
const HEADERS: Partial<Record<ProblemStatus, Record<string, { description: string; schema: object }>>> = {
  401: {
    'WWW-Authenticate': { description: 'RFC 6750: the Bearer scheme', schema: { type: 'string' } },
  },
  429: RETRY_AFTER,
  503: RETRY_AFTER,
};

const PROBLEM_CONTENT = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDoc) } } };

/**
 * Documents the problem+json answers of a route. With statuses (on a method): one response per
 * status the route can return. Without (on a controller): the `default` response, which covers the
 * rest (413, 415, 500, and 503 when a service or read model is not there yet, with Retry-After).
 */
export function ApiProblems(...statuses: readonly ProblemSpec[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDoc),
    ...(statuses.length === 0
      ? [
          ApiDefaultResponse({
            description: 'Any other error as RFC 9457 problem details: 413, 415, 500, 503 (with Retry-After)',
            content: PROBLEM_CONTENT,
          }),
        ]
      : statuses.map((spec) => {
          const [status, description] = typeof spec === 'number' ? [spec, MEANING[spec]] : spec;
          const headers = HEADERS[status];
          return ApiResponse({ status, description, content: PROBLEM_CONTENT, ...(headers ? { headers } : {}) });
        })),
  );
}
