import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { subjectMap } from '@accord/contracts';
import { tap, type Observable } from 'rxjs';
import type { AccordMetrics } from './accord-metrics';
import { METRICS } from './process-metrics';

/**
 * Counts every command and query a service handler answers, by subject and outcome (`ok`, the
 * error kind of its `Reply`, or `exception` when it threw): one global interceptor on the
 * services' Nest app, the same on NATS and in-process. The subject is the handler's pattern (as
 * `@Handles` declared it, without the run's NATS prefix), so its values are the subject map's.
 */
@Injectable()
export class HandledRequestsInterceptor implements NestInterceptor {
  constructor(@Inject(METRICS) private readonly metrics: AccordMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const subject = context.getType() === 'rpc' ? subjectOf(context.getHandler()) : undefined;
    const kind = subject === undefined ? undefined : kindOf(subject);
    if (subject === undefined || kind === undefined) return next.handle();
    return next.handle().pipe(
      tap({
        next: (reply) => this.metrics.handled(kind, subject, outcomeOf(reply)),
        error: () => this.metrics.handled(kind, subject, 'exception'),
      }),
    );
  }
}

function subjectOf(handler: unknown): string | undefined {
  const patterns: unknown = typeof handler === 'function' ? Reflect.getMetadata(PATTERN_METADATA, handler) : undefined;
  const first: unknown = Array.isArray(patterns) ? patterns[0] : undefined;
  return typeof first === 'string' ? first : undefined;
}

function kindOf(subject: string): 'command' | 'query' | undefined {
  const kind = (subjectMap as Record<string, { readonly kind: string } | undefined>)[subject]?.kind;
  return kind === 'command' || kind === 'query' ? kind : undefined;
}

/** `ok`, or the error kind of a `Reply` (a vocabulary word, never a message). */
export function outcomeOf(reply: unknown): string {
  const value = reply as { ok?: unknown; error?: { kind?: unknown } } | null;
  if (value?.ok === true) return 'ok';
  const kind = value?.error?.kind;
  return typeof kind === 'string' && /^[a-z_]{1,32}$/i.test(kind) ? kind : 'unknown';
}
