import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';

/** A session token as the identity provider would issue it (HS256, sub/email/email_verified/exp). */
export async function sessionToken(
  secret: string,
  person: { readonly email: string; readonly userId?: string; readonly emailVerified?: boolean },
): Promise<string> {
  return new SignJWT({ email: person.email, email_verified: person.emailVerified ?? true })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(person.userId ?? randomUUID())
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

export interface HttpResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A tiny HTTP client for end-to-end specs: real requests over loopback, JSON in and out. */
export function httpClient(baseUrl: string) {
  return async function call<T = any>(
    method: string,
    path: string,
    options: {
      readonly token?: string;
      readonly body?: unknown;
      readonly rawBody?: string;
      readonly headers?: Record<string, string>;
    } = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: body as T, headers: response.headers };
  };
}

/** Polls `probe` until it returns a value that `done` accepts (bounded), for eventually-consistent reads. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}

/**
 * The items of a list response. Lists answer `{ items, next }` (cursor pagination); a spec reads
 * them through this one helper so the page shape is written down once.
 */
export function listItems<T = Record<string, any>>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw new Error(`not a list response: ${JSON.stringify(body)?.slice(0, 200)}`);
  return items as T[];
}
