import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { runWithLogContext } from './log-context';
import { logContextOfRequest } from './message-log-context';

/**
 * Runs every command and query handler (NATS or in-process) inside the log context of its
 * request, so each line it logs carries the request's correlation, actor, account and trace ids.
 */
@Injectable()
export class LogContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const fields = logContextOfRequest(context.switchToRpc().getData());
    // The handler runs when the stream is subscribed: create and subscribe it inside the context.
    return new Observable((subscriber) => runWithLogContext(fields, () => next.handle().subscribe(subscriber)));
  }
}
