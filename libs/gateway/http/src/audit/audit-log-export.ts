import type { KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import { auditExportLines } from '@accord/audit';
import { subjects, type EventEnvelope } from '@accord/contracts';
import type { Dispatcher } from '../dispatch/dispatcher';
import { GatewayError } from '../problem/gateway-error';
import type { AuditExportQuery } from './audit-log-query';

/** Events per request to the membership service while streaming an export. */
export const EXPORT_PAGE = 200;

/** JSON Lines (one event per line, the signed head last): what `accord audit export` writes. */
export const AUDIT_EXPORT_CONTENT_TYPE = 'application/x-ndjson';

/**
 * The account's signed export as a stream of lines. The first page of events is read before this
 * resolves: a service that cannot answer is still a problem+json, not a 200 cut short. A failure
 * after that aborts the response, and an export without its signed head never verifies.
 */
export async function auditExportStream(
  dispatcher: Dispatcher,
  accountId: string,
  range: AuditExportQuery,
  signingKey: KeyObject,
): Promise<Readable> {
  const page = (after: number) =>
    dispatcher.query(subjects.membership.auditEvents, { accountId, after, limit: EXPORT_PAGE, ...range });
  const first = await page(0);
  async function* events(): AsyncGenerator<EventEnvelope> {
    // Only an empty page ends it: a page may be short to keep the reply under NATS's message size.
    let events = first.events;
    for (;;) {
      const last = events[events.length - 1];
      if (last === undefined) return;
      yield* events;
      events = (await page(last.globalPosition)).events;
    }
  }
  const lines = auditExportLines(events(), {
    accountId,
    from: range.from ?? null,
    to: range.to ?? null,
    signingKey,
  });
  return Readable.from(lines);
}

/**
 * 503 when the gateway holds no AUDIT_SIGNING_KEY (the services profile does not generate one). It
 * is `unavailable`: the request is right and the caller entitled, the server cannot serve it now.
 * (`internal` would hide the reason; nothing about the request is `invalid`.) Every 503 says when
 * to come back; an operator has to act, so not for an hour.
 */
export function exportNotConfigured(): GatewayError {
  return new GatewayError({
    kind: 'unavailable',
    code: 'audit.export_not_configured',
    message: 'audit export signing key not configured: the operator sets AUDIT_SIGNING_KEY',
    retryAfterSeconds: 3600,
  });
}
