import { parseTraceparent, type EventEnvelope } from '@accord/contracts';
import type { LogContext } from './log-context';

type Fields = Record<string, unknown>;

function field(source: unknown, key: string): unknown {
  return source !== null && typeof source === 'object' ? (source as Fields)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The log context of a command or query a service handles: the ids and actor of its `metadata`
 * (commands only) and the `accountId` of its payload. Never the payload itself.
 */
export function logContextOfRequest(request: unknown): LogContext {
  const metadata = field(request, 'metadata');
  const actor = field(metadata, 'actor');
  return {
    correlationId: text(field(metadata, 'correlationId')),
    causationId: text(field(metadata, 'causationId')),
    accountId: text(field(field(request, 'payload'), 'accountId')),
    userId: text(field(actor, 'userId')),
    via: text(field(actor, 'via')),
    traceId: parseTraceparent(field(metadata, 'traceparent'))?.traceId,
  };
}

/** The log context of a reaction to `event`: its correlation, caused by it, on its account. */
export function logContextOfEvent(event: EventEnvelope): LogContext {
  return {
    correlationId: event.correlationId,
    causationId: event.id,
    accountId: event.accountId ?? undefined,
    userId: event.actor.userId,
    via: event.actor.via,
    traceId: parseTraceparent(event.traceparent)?.traceId,
  };
}
