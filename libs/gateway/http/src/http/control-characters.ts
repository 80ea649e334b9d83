import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidInput, type FieldError } from '../problem/gateway-error';
import { KNOWN_QUERY_PARAMETERS, MAX_QUERY_VALUE_LENGTH } from './query-parameters';

/** A UTF-16 surrogate without its pair: not a character, and not storable as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** C0 controls (U+0000–U+001F) and DEL (U+007F). */
const CONTROL = /[\u0000-\u001f\u007f]/;
/** The same, minus line feed and tab: what free text may not contain. */
const CONTROL_IN_FREE_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/**
 * Top-level body fields that are free text written by people, where a line feed (U+000A) and a tab
 * (U+0009) are allowed: the share `message` (shown to recipients in the invitation). Every other
 * string — names, e-mail addresses, ids, permissions, keys — allows no control character at all.
 */
export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set(['message']);

/**
 * SEC-13a: a control character (C0 or DEL) or a lone UTF-16 surrogate in ANY string of
 * the body (values and property names), the query or the path is a 400 naming the field
 * (`recipients[2]`, `scope.type`, `minPosition`, `userId`), before authentication, validation or
 * any service sees it (PostgreSQL refuses NUL in text; logs and e-mails must not carry the rest).
 * Unknown query parameters of the API (`/v1/…`) are refused too, naming them.
 * The body is at most 32 levels deep here (`useStrictJsonBodies` refused deeper ones).
 */
export function refuseControlCharacters(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request) => {
    const errors = inputIssues(request);
    if (errors.length > 0) throw invalidInput(errors, 'request.invalid_characters');
  });
}

export function inputIssues(request: Pick<FastifyRequest, 'body' | 'query' | 'params' | 'url'>): FieldError[] {
  return [...paramIssues(request.params), ...queryIssues(request.query, request.url), ...bodyIssues(request.body)];
}

/** Every string of a parsed JSON body, named by its path (`recipients[2]`, `scope.type`). */
export function bodyIssues(body: unknown): FieldError[] {
  const errors: FieldError[] = [];
  walk(body, '', errors, 0);
  return errors;
}

function walk(value: unknown, path: string, errors: FieldError[], depth: number): void {
  if (errors.length >= 20 || depth > 64) return;
  if (typeof value === 'string') {
    const freeText = depth === 1 && FREE_TEXT_FIELDS.has(path);
    const issue = stringIssue(value, freeText ? CONTROL_IN_FREE_TEXT : CONTROL);
    if (issue)
      errors.push({
        field: path || 'body',
        message: `${path || 'body'} ${issue}${freeText ? ' (line feeds and tabs are allowed)' : ''}`,
      });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((entry, index) => walk(entry, `${path || 'body'}[${index}]`, errors, depth + 1));
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, entry] of Object.entries(value)) {
      if (stringIssue(key, CONTROL)) {
        errors.push({
          field: path || 'body',
          message: `a property name in ${path || 'the body'} contains control characters`,
        });
        continue;
      }
      walk(entry, path ? `${path}.${key}` : key, errors, depth + 1);
    }
  }
}

function paramIssues(params: unknown): FieldError[] {
  if (typeof params !== 'object' || params === null) return [];
  return Object.entries(params).flatMap(([name, value]): FieldError[] => {
    const issue = typeof value === 'string' ? stringIssue(value, CONTROL) : undefined;
    return issue ? [{ field: name, message: `${name} ${issue}` }] : [];
  });
}

const SAFE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function queryIssues(query: unknown, url: string): FieldError[] {
  if (typeof query !== 'object' || query === null) return [];
  const api = url.startsWith('/v1/');
  return Object.entries(query).flatMap(([name, value]): FieldError[] => {
    // A name that is itself hostile is not echoed back.
    const field = SAFE_NAME.test(name) ? name : 'query';
    if (api && !KNOWN_QUERY_PARAMETERS.has(name))
      return [{ field, message: `unknown query parameter ${field === 'query' ? '' : field}`.trim() }];
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const entry of values) {
      if (typeof entry !== 'string') continue;
      const issue = stringIssue(entry, CONTROL);
      if (issue) return [{ field, message: `${field} ${issue}` }];
      if (entry.length > MAX_QUERY_VALUE_LENGTH)
        return [{ field, message: `${field} must be at most ${MAX_QUERY_VALUE_LENGTH} characters` }];
    }
    return [];
  });
}

function stringIssue(value: string, forbidden: RegExp): string | undefined {
  if (forbidden.test(value)) return 'must not contain control characters (U+0000–U+001F, U+007F)';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (no lone surrogates)';
  return undefined;
}
