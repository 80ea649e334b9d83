import type { FastifyInstance } from 'fastify';
import { invalidInput } from '../problem/gateway-error';

/** Small bodies only: the largest legitimate one (50 recipients and a message) is ~15 KiB. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Deeper JSON is refused before parsing: no body of the API nests more than 3 levels. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deeply `text` nests arrays and objects, stopping as soon as it passes `limit`: one linear
 * scan, no recursion, strings skipped (brackets inside them do not count). Meant for text that
 * is then parsed; on malformed text the answer is meaningless and the parser refuses it.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** `Object.prototype`'s own names (`__proto__`, `constructor`, `toString`…) and `prototype`. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * The path of the first key named after an object's own machinery in a parsed body, if any. No
 * field of this API is called so, and class-transformer mishandles them: a nested
 * `"constructor": "x"` is taken for the object's class and throws (a 500 the fuzz suite found),
 * a `"toString"` is dropped without a word where any other unknown field is refused.
 */
export function reservedKeyIn(body: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[body, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push([item, `${path}[${index}]`]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const field = path ? `${path}.${key}` : key;
        if (RESERVED_KEYS.has(key)) return field;
        pending.push([item, field]);
      }
    }
  }
  return undefined;
}

/**
 * JSON bodies only (any other media type is a 415): an empty body counts as no body (`POST …/accept` with a JSON
 * content type and nothing else), malformed JSON is a 400 problem, `__proto__` / `constructor.prototype`
 * keys are refused rather than parsed (prototype poisoning), any other key named after
 * `Object.prototype`'s members is a 400 naming it (`reservedKeyIn`), and JSON nested deeper than
 * `MAX_JSON_DEPTH` levels is a 400 `request.too_deep` before it is parsed (recursive validation
 * of such a body overflowed the stack: a 500).
 */
export function useStrictJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
        return done(
          invalidInput(
            [{ field: 'body', message: `the request body nests deeper than ${MAX_JSON_DEPTH} levels` }],
            'request.too_deep',
          ),
          undefined,
        );
      }
      parseJson(request, text, (error, value) => {
        if (error)
          return done(
            invalidInput([{ field: 'body', message: 'the request body is not valid JSON' }], 'request.malformed_json'),
            undefined,
          );
        const reserved = reservedKeyIn(value);
        if (reserved)
          return done(invalidInput([{ field: reserved, message: `property ${reserved} is not allowed` }]), undefined);
        done(null, value);
      });
    },
  );
}
