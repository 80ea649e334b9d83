import { applyDecorators, createParamDecorator, type ExecutionContext, type Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiProperty,
  ApiQuery,
  getSchemaPath,
  type ApiPropertyOptions,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  PAGE_LIMITS,
  isPageKeyOf,
  type Page,
  type PageKey,
  type PageKeyKind,
  type PageRequest,
} from '@accord/contracts';
import { invalidInput, type FieldError } from '../problem/gateway-error';
import { MAX_QUERY_VALUE_LENGTH } from './query-parameters';

// Cursor pagination for every list of the API: `?limit=` (1–200, default 50) and `?cursor=` (the
// `next` of the previous page) in; `{ items, next }` and, when there is more, a `Link: <…>;
// rel="next"` header (RFC 8288) out. The cursor is opaque to clients: base64url of the list's name
// and the last sort key the page showed. Only a cursor this gateway could have written for this
// very list decodes; anything else is a 400 naming `cursor`, never guessed at.

/** The query string values as Fastify parsed them (a repeated parameter is an array). */
export type RawQuery = Readonly<Record<string, unknown>>;

/** The kinds of a list's sort key, in ORDER BY order (see `isPageKeyOf`). */
export type PageKeyShape = readonly PageKeyKind[];

/** A list's key check: a shape, or a guard for lists whose key has more than one form. */
export type PageKeyCheck = PageKeyShape | ((key: PageKey) => boolean);

/** The body of every list response. */
export interface PageBody<T> {
  readonly items: readonly T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  readonly next: string | null;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const LIMIT = /^[1-9]\d{0,3}$/;

/** The cursor that continues `list` after `key`. */
export function encodeCursor(list: string, key: PageKey): string {
  return Buffer.from(`${list}:${JSON.stringify(key)}`, 'utf8').toString('base64url');
}

/** The key inside a cursor of `list`, or undefined when it is not one this gateway wrote for it. */
export function decodeCursor(list: string, cursor: string, check: PageKeyCheck): PageKey | undefined {
  if (cursor.length > MAX_QUERY_VALUE_LENGTH || !BASE64URL.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(`${list}:`)) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(text.slice(list.length + 1));
  } catch {
    return undefined;
  }
  if (!isKeyLike(key) || !keyPasses(key, check)) return undefined;
  // Canonical form only: base64url decoding forgives stray bits (and JSON spacing) a re-encoding would not have.
  return encodeCursor(list, key) === cursor ? key : undefined;
}

function isKeyLike(key: unknown): key is PageKey {
  return Array.isArray(key) && key.every((v) => typeof v === 'string' || Number.isSafeInteger(v));
}

function keyPasses(key: PageKey, check: PageKeyCheck): boolean {
  return typeof check === 'function' ? check(key) : isPageKeyOf(key, check);
}

/** `limit` and `cursor` of a list's query, checked; a 400 naming each field that is wrong. */
export function parsePageQuery(query: RawQuery, list: string, check: PageKeyCheck): PageRequest {
  const errors: FieldError[] = [];
  const limit = singleQueryValue(query, 'limit', errors);
  const cursor = singleQueryValue(query, 'cursor', errors);
  if (limit !== undefined && !(LIMIT.test(limit) && Number(limit) <= PAGE_LIMITS.maxPage))
    errors.push({ field: 'limit', message: `limit must be an integer from 1 to ${PAGE_LIMITS.maxPage}` });
  const after = cursor === undefined ? undefined : decodeCursor(list, cursor, check);
  if (cursor !== undefined && after === undefined)
    errors.push({ field: 'cursor', message: 'cursor must be the `next` of a previous page of this list' });
  if (errors.length > 0) throw invalidInput(errors);
  return { limit: limit === undefined ? PAGE_LIMITS.defaultPage : Number(limit), ...(after ? { after } : {}) };
}

/** One query parameter given at most once; a repeated one is recorded as an error. */
export function singleQueryValue(query: RawQuery, field: string, errors: FieldError[]): string | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  errors.push({ field, message: `${field} must be given once` });
  return undefined;
}

/** A list filter that takes one of a few words (`?status=`); absent → undefined, else a 400 naming it. */
export function oneOfQueryValue<T extends string>(query: RawQuery, field: string, values: readonly T[]): T | undefined {
  const errors: FieldError[] = [];
  const value = singleQueryValue(query, field, errors);
  if (value !== undefined && !(values as readonly string[]).includes(value))
    errors.push({ field, message: `${field} must be one of ${values.join(', ')}` });
  if (errors.length > 0) throw invalidInput(errors);
  return value as T | undefined;
}

/**
 * The `Link` header value for the next page: the request's own path and query (root-relative)
 * with `cursor` set, so every filter and the limit carry over.
 */
export function nextLinkHeader(requestUrl: string, cursor: string): string {
  // The WHATWG parser percent-encodes `<`, `>` and spaces, so the target cannot break out of `<…>`.
  const url = new URL(requestUrl, 'http://gateway.invalid');
  url.searchParams.set('cursor', cursor);
  return `<${url.pathname}${url.search}>; rel="next"`;
}

/** A list's page as the API answers it; sets the `Link` header when there is a next page. */
export function answerPage<T>(
  reply: Pick<FastifyReply, 'header'>,
  requestUrl: string,
  list: string,
  page: Page<T>,
): PageBody<T> {
  const next = page.nextAfter === null ? null : encodeCursor(list, page.nextAfter);
  if (next !== null) reply.header('link', nextLinkHeader(requestUrl, next));
  return { items: [...page.items], next };
}

/** What a list route gets from `@Paged(…)`: the checked page request and the way to answer it. */
export interface Paging extends PageRequest {
  /** The query string, for the list's own filters. */
  readonly query: RawQuery;
  /** The body (and `Link` header) for a page of this list. */
  answer<T>(page: Page<T>): PageBody<T>;
}

/** A list as `@Paged` knows it: the name its cursors carry and the shape of its sort key. */
export interface PagedList {
  readonly name: string;
  readonly key: PageKeyCheck;
}

/**
 * Parses `limit`/`cursor` (a 400 naming the field) and answers the pages of a list: the one given,
 * or the one the query picks (a list whose key depends on a filter, e.g. the members' `status`).
 */
export const Paged = createParamDecorator(
  (list: PagedList | ((query: RawQuery) => PagedList), context: ExecutionContext): Paging => {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const query = (request.query as RawQuery | undefined) ?? {};
    const { name, key } = typeof list === 'function' ? list(query) : list;
    const asked = parsePageQuery(query, name, key);
    return {
      ...asked,
      query,
      answer: (page) => answerPage(http.getResponse<FastifyReply>(), request.url, name, page),
    };
  },
);

const LINK_HEADER = {
  link: {
    description: 'RFC 8288 `<…>; rel="next"`: this request with `cursor` set to `next`; absent on the last page',
    schema: { type: 'string' },
  },
} as const;

const pageDocs = new Map<string, Type>();

/**
 * The OpenAPI page schema `<name>`: `{ items: Item[], next: string | null }`; with several item
 * types, each item is one of them.
 */
export function pageDocOf(item: Type | readonly Type[], name: string, extra: PageDocExtra = {}): Type {
  const known = pageDocs.get(name);
  if (known) return known;
  class PageDoc {
    items!: unknown[];
    @ApiProperty({
      type: String,
      nullable: true,
      description: 'Pass as `cursor` for the next page; null on the last page',
    })
    next!: string | null;
  }
  const description = 'This page’s items, in the list’s order';
  const items: ApiPropertyOptions = isTypeList(item)
    ? { type: 'array', items: { oneOf: item.map((t) => ({ $ref: getSchemaPath(t) })) }, description }
    : { type: [item], description };
  ApiProperty(items)(PageDoc.prototype, 'items');
  for (const [field, options] of Object.entries(extra)) ApiProperty(options)(PageDoc.prototype, field);
  Object.defineProperty(PageDoc, 'name', { value: name });
  pageDocs.set(name, PageDoc);
  return PageDoc;
}

/** Fields a list's page has beside `items` and `next` (e.g. the inbox's `unread`). */
export type PageDocExtra = Readonly<Record<string, ApiPropertyOptions>>;

function isTypeList(item: Type | readonly Type[]): item is readonly Type[] {
  return Array.isArray(item);
}

/** OpenAPI for a list route: `limit`, `cursor`, and a 200 with the page schema and `Link` header. */
export function ApiPage(
  item: Type | readonly Type[],
  name: string,
  options: { readonly description?: string; readonly extra?: PageDocExtra } = {},
): MethodDecorator {
  const doc = pageDocOf(item, name, options.extra);
  return applyDecorators(
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: PAGE_LIMITS.maxPage, default: PAGE_LIMITS.defaultPage },
      description: 'Items per page (a page may hold fewer and still have a `next`)',
    }),
    ApiQuery({ name: 'cursor', required: false, description: 'The `next` of the previous page of this list' }),
    ApiExtraModels(doc, ...(isTypeList(item) ? item : [])),
    ApiOkResponse({
      schema: { $ref: getSchemaPath(doc) },
      headers: LINK_HEADER,
      description: options.description ?? 'One page of the list',
    }),
  );
}
