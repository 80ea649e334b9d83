import { randomUUID } from 'node:crypto';
import type { RecordedRequest } from '../ports';

/** What one request asks; `kind` names it in the records. */
export interface LoadRequest {
  readonly kind: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly token: string;
  readonly body?: unknown;
  readonly authz?: RecordedRequest['authz'];
}

export interface LoadAnswer {
  readonly record: RecordedRequest;
  /** The parsed JSON body of a 2xx answer, else null. */
  readonly json: unknown;
}

/**
 * Sends one request with a fresh `x-request-id` (the correlation id of the events it appends) and
 * records what came back. Never throws: a timeout or a transport error is status 0 with `error`.
 */
export async function send(baseUrl: string, timeoutMs: number, request: LoadRequest): Promise<LoadAnswer> {
  const requestId = randomUUID();
  const startedAt = Date.now();
  const base = { requestId, kind: request.kind, method: request.method, path: request.path, startedAt };
  try {
    const response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${request.token}`,
        'x-request-id': requestId,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const ok = response.status >= 200 && response.status < 300;
    const json = ok ? parseJson(text) : null;
    const position = positionOf(json);
    const allowed = request.authz && ok ? allowedOf(json) : undefined;
    const record: RecordedRequest = {
      ...base,
      endedAt: Date.now(),
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      error: ok ? null : text.slice(0, 300),
      ...(request.authz ? { authz: { ...request.authz, ...(allowed === undefined ? {} : { allowed }) } } : {}),
      ...(position === undefined ? {} : { position }),
    };
    return { record, json };
  } catch (error) {
    const record: RecordedRequest = {
      ...base,
      endedAt: Date.now(),
      status: 0,
      retryAfter: null,
      error: describe(error),
      ...(request.authz ? { authz: request.authz } : {}),
    };
    return { record, json: null };
  }
}

/** `timeout` for the client's own deadline; otherwise the transport's error code or name. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return `transport: ${cause?.code ?? cause?.message ?? error.message}`;
  }
  return `transport: ${String(error)}`;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function positionOf(json: unknown): number | undefined {
  const position = (json as { position?: unknown } | null)?.position;
  return typeof position === 'number' ? position : undefined;
}

function allowedOf(json: unknown): boolean | undefined {
  const allowed = (json as { allowed?: unknown } | null)?.allowed;
  return typeof allowed === 'boolean' ? allowed : undefined;
}
