import type { RecordedRequest } from '../ports';
import { examples, type CheckOutcome } from './check';

export interface FaultWindow {
  /** ms since the epoch: when the fault was injected. */
  readonly start: number;
  /** ms since the epoch: when the fault was repaired. */
  readonly end: number;
}

export interface AvailabilityOptions {
  /** The load's client timeout: a timeout must come no later than this (plus `slackMs`). */
  readonly requestTimeoutMs: number;
  /**
   * Slack on top of the timeout before a request counts as a hang (default 5000 ms): the client's own
   * abort fires late when the machine is starved (seen: +1.2 s on 2 busy cores), which is no hang.
   */
  readonly slackMs?: number;
  /**
   * Whether a transport error (connection refused / reset) counts as an acceptable answer during
   * the fault — a drill that kills the only gateway expects them. Default false.
   */
  readonly allowTransportErrors?: boolean;
}

/**
 * During the fault (requests started in the window) every answer is 2xx or 4xx, a 503 WITH
 * Retry-After, or a timeout by the client within its deadline: never another 5xx, never a hang.
 * Over the whole run, an authz check that asked for `minPosition` and answered 200 must give the
 * answer the state at that position gives (`expectedAllowed`, known to the load for the root owner,
 * a member after a role change and a removed member): another answer was taken from older state.
 * Time to recover: from the end of the fault to the end of the first 2xx started after it.
 * Counts: `inWindow`, `bad` (answers not allowed during the fault), `stale` (authz from older
 * state), `timeToRecoverMs` (-1: never).
 */
export function availabilityDuringFault(
  records: readonly RecordedRequest[],
  fault: FaultWindow,
  options: AvailabilityOptions,
): CheckOutcome & { readonly timeToRecoverMs: number | null } {
  const slack = options.slackMs ?? 5_000;
  const during = records.filter((r) => r.startedAt >= fault.start && r.startedAt <= fault.end);
  const serverErrors = during.filter((r) => r.status >= 500 && r.status !== 503);
  const noRetryAfter = during.filter((r) => r.status === 503 && !r.retryAfter);
  const transport = during.filter((r) => r.status === 0 && r.error !== 'timeout');
  const hangs = records.filter((r) => r.endedAt - r.startedAt > options.requestTimeoutMs + slack);
  const stale = records.filter(
    (r) =>
      r.status === 200 &&
      r.authz?.expectedAllowed !== undefined &&
      r.authz.allowed !== undefined &&
      r.authz.allowed !== r.authz.expectedAllowed,
  );
  const recovered = records
    .filter((r) => r.status >= 200 && r.status < 300 && r.startedAt >= fault.end)
    .reduce<number | null>((first, r) => (first === null || r.endedAt < first ? r.endedAt : first), null);
  const timeToRecoverMs = recovered === null ? null : recovered - fault.end;

  const show = (r: RecordedRequest) => `${r.kind} ${r.method} ${r.path} → ${r.status || r.error} (${r.requestId})`;
  const failures: string[] = [];
  if (serverErrors.length > 0)
    failures.push(
      `${serverErrors.length} answers 5xx other than 503 during the fault: ${examples(serverErrors, show)}`,
    );
  if (noRetryAfter.length > 0)
    failures.push(
      `${noRetryAfter.length} answers 503 without Retry-After during the fault: ${examples(noRetryAfter, show)}`,
    );
  if (transport.length > 0 && !options.allowTransportErrors)
    failures.push(`${transport.length} transport errors during the fault: ${examples(transport, show)}`);
  if (hangs.length > 0) {
    failures.push(
      `${hangs.length} requests took longer than the ${options.requestTimeoutMs} ms timeout: ${examples(hangs, (r) => `${show(r)} in ${r.endedAt - r.startedAt} ms`)}`,
    );
  }
  if (stale.length > 0) {
    failures.push(
      `${stale.length} authz answers contradict the state at the minPosition asked: ${examples(stale, (r) => `${show(r)} allowed=${r.authz?.allowed} at minPosition ${r.authz?.minPosition}`)}`,
    );
  }
  if (timeToRecoverMs === null) failures.push('no request answered 2xx after the fault ended');
  return {
    check: 'availability during the fault',
    failures,
    counts: {
      inWindow: during.length,
      bad: serverErrors.length + noRetryAfter.length + (options.allowTransportErrors ? 0 : transport.length),
      stale: stale.length,
      timeToRecoverMs: timeToRecoverMs ?? -1,
    },
    timeToRecoverMs,
  };
}
