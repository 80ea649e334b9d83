import type { FastifyInstance } from 'fastify';
import { invalidInput } from '../problem/gateway-error';

/** Small bodies only: the largest legitimate one (50 recipients and a message) is ~15 KiB. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * JSON bodies only (any other media type is a 415): an empty body counts as no body (`POST …/accept` with a JSON content type and
 * nothing else), malformed JSON is a 400 problem, and `__proto__` / `constructor.prototype` keys
 * are refused rather than parsed (prototype poisoning).
 */
export function useStrictJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    parseJson(request, text, (error, value) => {
      if (error) return done(invalidInput([{ field: 'body', message: 'the request body is not valid JSON' }], 'request.malformed_json'), undefined);
      done(null, value);
    });
  });
}
