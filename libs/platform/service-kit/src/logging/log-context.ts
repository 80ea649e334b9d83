import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line of one unit of work (an HTTP request, a command, a reaction) carries. Ids
 * and the actor only: never a payload, never a secret.
 */
export interface LogContext {
  /** The gateway's request id (`x-request-id`). */
  requestId?: string;
  correlationId?: string;
  causationId?: string;
  accountId?: string;
  /** The actor: who (`userId`) and through what (`via`). */
  userId?: string;
  via?: string;
  /** The W3C trace id (from `traceparent`), to find the same request in a tracing backend. */
  traceId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** One unit of work's log context: `fields` is live (what `addToLogContext` adds shows there). */
export interface LogScope {
  readonly fields: Readonly<LogContext>;
  /** Runs `work` (and all it does later: awaits, timers, callbacks) inside this scope. */
  run<T>(work: () => T): T;
}

/**
 * A scope that can be entered more than once (an HTTP request re-enters it after its body was
 * read, whose stream events run outside of it). Fields of an enclosing context are kept unless
 * `context` sets them.
 */
export function openLogScope(context: LogContext): LogScope {
  const fields: LogContext = { ...storage.getStore(), ...definedFields(context) };
  return { fields, run: (work) => storage.run(fields, work) };
}

/** Runs `work` with `context` as the log context of everything it does (see `openLogScope`). */
export function runWithLogContext<T>(context: LogContext, work: () => T): T {
  return openLogScope(context).run(work);
}

/** The log context of the current unit of work (a copy), or `{}` outside of any. */
export function currentLogContext(): LogContext {
  return { ...storage.getStore() };
}

/**
 * Adds what became known along the way (the actor, once authenticated) to the current unit of
 * work's context; outside of one it does nothing.
 */
export function addToLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, definedFields(fields));
}

function definedFields(context: LogContext): LogContext {
  return Object.fromEntries(Object.entries(context).filter(([, value]) => typeof value === 'string')) as LogContext;
}
