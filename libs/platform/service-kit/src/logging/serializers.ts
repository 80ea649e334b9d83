import { stdSerializers } from 'pino';
import { scrubSecrets } from './redaction';

type Serializer = (value: unknown) => unknown;

interface RequestLike {
  readonly method?: unknown;
  readonly url?: unknown;
  /** Fastify: the matched route's template (`/v1/invitations/by-token/:token`), never a value. */
  readonly routeOptions?: { readonly url?: unknown };
}

/**
 * A request as logged: method, path (secrets scrubbed) and route template. Never its headers
 * (Authorization, Cookie) nor its body (invitation tokens, e-mail addresses).
 */
export const requestSerializer: Serializer = (value) => {
  const request = (value ?? {}) as RequestLike;
  const route = request.routeOptions?.url;
  return {
    method: typeof request.method === 'string' ? request.method : undefined,
    url: typeof request.url === 'string' ? scrubSecrets(request.url) : undefined,
    ...(typeof route === 'string' ? { route } : {}),
  };
};

/** A response as logged: its status only (no headers: `Set-Cookie`, echoed tokens). */
export const responseSerializer: Serializer = (value) => {
  const statusCode = (value as { statusCode?: unknown } | null)?.statusCode;
  return { statusCode: typeof statusCode === 'number' ? statusCode : undefined };
};

/** An error as logged: pino's standard fields, with secrets scrubbed from its message and stack. */
export const errorSerializer: Serializer = (value) => {
  if (!(value instanceof Error)) return typeof value === 'string' ? scrubSecrets(value) : value;
  const serialized = stdSerializers.err(value) as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(serialized).map(([key, field]) => [key, typeof field === 'string' ? scrubSecrets(field) : field]),
  );
};

/** The serializers of every Accord logger (`req`, `res`, `err`, `error`). */
export const LOG_SERIALIZERS: Readonly<Record<string, Serializer>> = {
  req: requestSerializer,
  res: responseSerializer,
  err: errorSerializer,
  error: errorSerializer,
};
