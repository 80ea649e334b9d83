import type { OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENT_METHODS, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key';

/** Documents the `Idempotency-Key` header on every POST, PUT, PATCH and DELETE of the document. */
export function withIdempotencyKeyHeader(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of IDEMPOTENT_METHODS) {
      const operation = item[method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete'];
      if (!operation) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes the command safe to retry: the same key and body from the same caller within 24 hours answers the first status and body ' +
            '(header Idempotent-Replayed: true) with no second effect. Another body with the same key: 422 idempotency.key_reused; ' +
            'the first still running: 409 idempotency.in_progress (Retry-After); a first answer that carried a secret shown once: 409 idempotency.secret_not_replayable.',
          schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH, pattern: '^[\\x20-\\x7e]+$' },
        },
      ];
    }
  }
  return document;
}
