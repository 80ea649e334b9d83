import { ApiError, problemOf } from './problem';

/** One page of a list, as every list route answers (`limit`, `cursor` = the previous `next`). */
export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * The console's only way to Accord: the public HTTP API of the same origin, with the session's
 * bearer token. Errors arrive as ApiError (problem+json); a 401 also signs out (`onUnauthorized`).
 */
export class ApiClient {
  constructor(
    private readonly token: () => string | null,
    private readonly onUnauthorized: () => void,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /**
   * A file the API answers (an export): its body and Content-Disposition, fetched with the bearer
   * token — a plain link could not carry the Authorization header. Errors as for every call.
   */
  async download(path: string, query: Query = {}): Promise<{ blob: Blob; disposition: string | null }> {
    const headers: Record<string, string> = {};
    const token = this.token();
    if (token) headers['authorization'] = `Bearer ${token}`;
    let response: Response;
    try {
      response = await this.fetchFn(withQuery(path, query), { method: 'GET', headers });
    } catch {
      throw new ApiError({ status: 0, title: 'Offline', detail: 'Accord could not be reached.', code: 'network' });
    }
    if (!response.ok) {
      const text = await response.text();
      if (response.status === 401 && token) this.onUnauthorized();
      throw new ApiError(problemOf(response.status, text.length > 0 ? safeJson(text) : undefined));
    }
    return { blob: await response.blob(), disposition: response.headers.get('content-disposition') };
  }

  /** Every item of a list, page after page (the console's lists are short; `max` bounds them). */
  async all<T>(path: string, query: Query = {}, max = 1000): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.get<Page<T>>(path, { ...query, limit: 200, cursor });
      items.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor && items.length < max);
    return items;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchFn(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError({ status: 0, title: 'Offline', detail: 'Accord could not be reached.', code: 'network' });
    }
    const text = await response.text();
    const json = text.length > 0 ? safeJson(text) : undefined;
    if (!response.ok) {
      if (response.status === 401 && token) this.onUnauthorized();
      throw new ApiError(problemOf(response.status, json));
    }
    return json as T;
  }
}

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
