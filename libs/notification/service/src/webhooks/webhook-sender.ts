import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { WEBHOOK_LIMITS } from '@accord/contracts';
import { webhookAddressProblem, type WebhookUrlPolicy } from '@accord/notification-domain';

/** What one attempt got back. */
export interface SendOutcome {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly response: string | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/** Bytes of a response body read at most: enough for the excerpt, never a receiver's whole answer. */
const MAX_READ_BYTES = 4 * WEBHOOK_LIMITS.responseExcerpt;

/**
 * POSTs one delivery. A 2xx is delivered; anything else (another status, a redirect — never
 * followed, the receiver must answer itself —, a timeout, a refused connection) is a failure. The
 * answer is kept as a short excerpt only. The connection is made only to an address the policy
 * allows, checked on the address the host name resolved to at connect time (NOT-11): checking the
 * name when it was registered cannot know where it points today.
 */
export async function sendWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  policy: WebhookUrlPolicy,
): Promise<SendOutcome> {
  const started = Date.now();
  const outcome = (fields: Omit<SendOutcome, 'durationMs'>): SendOutcome => ({
    ...fields,
    durationMs: Date.now() - started,
  });
  try {
    const { statusCode, text } = await post(new URL(url), headers, body, timeoutMs, policy);
    return outcome({ ok: statusCode >= 200 && statusCode < 300, statusCode, response: text, error: null });
  } catch (error) {
    return outcome({ ok: false, statusCode: null, response: null, error: networkReason(error) });
  }
}

function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  policy: WebhookUrlPolicy,
): Promise<{ statusCode: number; text: string | null }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': headers['content-type'] ?? 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'Accord-Webhooks/1',
      },
      lookup: allowedAddressesOnly(policy),
      // A fresh connection each time: a kept-alive socket would skip the lookup, and with it the guard.
      agent: false,
      signal: AbortSignal.timeout(timeoutMs),
    });
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => resolve({ statusCode: response.statusCode ?? 0, text: excerptOf(chunks) });
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        // Enough for the excerpt: the rest of a receiver's answer is never read.
        if (size >= MAX_READ_BYTES) {
          response.destroy();
          done();
        }
      });
      response.on('end', done);
      response.on('error', reject);
    });
    outgoing.end(body);
  });
}

/** A `lookup` for the request that fails the connection when the name resolved to a refused address. */
function allowedAddressesOnly(policy: WebhookUrlPolicy): LookupFunction {
  return (hostname, options, callback) =>
    dnsLookup(
      hostname,
      options,
      (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => {
        if (error) return callback(error, address as string, family);
        const resolved = Array.isArray(address) ? address.map((a) => a.address) : [address];
        const problem = resolved.map((a) => webhookAddressProblem(a, policy)).find((p) => p !== null);
        if (problem)
          return callback(Object.assign(new Error(problem), { code: 'ADDRESS_REFUSED' }), address as string, family);
        callback(null, address as string, family);
      },
    );
}

function excerptOf(chunks: Buffer[]): string | null {
  const text = Buffer.concat(chunks).subarray(0, MAX_READ_BYTES).toString('utf8');
  const printable = text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '').slice(0, WEBHOOK_LIMITS.responseExcerpt);
  return printable.length > 0 ? printable : null;
}

/** A short, secret-free reason: the network error code, or `timeout`. */
function networkReason(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  return (e.cause?.code ?? e.code ?? e.cause?.name ?? e.name ?? 'error').slice(0, 100);
}
