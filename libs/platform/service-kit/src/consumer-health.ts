import type { ConsumerFailure, ConsumerProgress, ConsumerStatus, ConsumerStatusReporter } from '@accord/messaging';

/** One stopped projection, read model, reactor or consumer, as `/health` shows it. */
export interface FailedComponent extends ConsumerFailure {
  /** e.g. `projection:notification.inbox.v1`, `consumer:notification-mailer`. */
  readonly name: string;
  /** The service process it runs in (services profile; absent in the embedded profile). */
  readonly service?: string;
}

/**
 * Readiness details. `ok`: every component runs. `degraded`: some stopped on an event they could
 * not handle (`failed`) or a service did not answer (`unreachable`) — the rest still serves.
 */
export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly failed?: readonly FailedComponent[];
  /** Services that did not answer the health request in time (services profile). */
  readonly unreachable?: readonly string[];
}

/**
 * The process's registry of its projections, read models, reactors and consumers (SEC-3c):
 * each reports `running` when it starts and `failed` (event id, type, position, error message)
 * when it stops alone on a bad event. `/health` shows the snapshot; one failed component degrades
 * the report, it does not take the process down.
 */
export class ConsumerHealth implements ConsumerStatusReporter {
  private readonly components = new Map<string, ConsumerStatus>();
  private readonly progress = new Map<string, ConsumerProgress>();
  private readonly stops = new Map<string, number>();

  report(name: string, status: ConsumerStatus): void {
    if (status.state === 'failed' && this.components.get(name)?.state !== 'failed')
      this.stops.set(name, (this.stops.get(name) ?? 0) + 1);
    this.components.set(name, status);
  }

  /** Where a component got to (its metrics: checkpoint and lag). */
  progressed(name: string, progress: ConsumerProgress): void {
    this.progress.set(name, progress);
  }

  /** The progress last reported under `name`, if any. */
  progressOf(name: string): ConsumerProgress | undefined {
    return this.progress.get(name);
  }

  /** How often `name` stopped on an event it could not handle, in this process. */
  stopsOf(name: string): number {
    return this.stops.get(name) ?? 0;
  }

  /** The status last reported under `name`, if any. */
  statusOf(name: string): ConsumerStatus | undefined {
    return this.components.get(name);
  }

  /** Names of everything reported, failed or not. */
  names(): string[] {
    return [...this.components.keys()].sort();
  }

  snapshot(): HealthReport {
    const failed: FailedComponent[] = [];
    for (const [name, status] of this.components) {
      if (status.state !== 'failed') continue;
      const { state: _state, ...failure } = status;
      failed.push({ name, ...failure });
    }
    if (failed.length === 0) return { status: 'ok' };
    failed.sort((a, b) => a.since.localeCompare(b.since) || a.name.localeCompare(b.name));
    return { status: 'degraded', failed };
  }

  /** Forget everything (tests). */
  clear(): void {
    this.components.clear();
    this.progress.clear();
    this.stops.clear();
  }
}

/**
 * THE registry of this process. Every `ManagedProjection`, `InMemoryReadModel` and
 * `DurableReaction` reports here; the embedded profile's gateway and each service process of the
 * services profile (over `accord.health.<service>`) read it.
 */
export const processHealth = new ConsumerHealth();

/** Several reports (one per service) as one: degraded when any is, or when a service is missing. */
export function combineHealth(
  reports: ReadonlyArray<{ readonly service: string; readonly report: HealthReport | null }>,
): HealthReport {
  const failed: FailedComponent[] = [];
  const unreachable: string[] = [];
  for (const { service, report } of reports) {
    if (!report) unreachable.push(service);
    else for (const f of report.failed ?? []) failed.push({ ...f, service: f.service ?? service });
  }
  if (failed.length === 0 && unreachable.length === 0) return { status: 'ok' };
  return { status: 'degraded', ...(failed.length ? { failed } : {}), ...(unreachable.length ? { unreachable } : {}) };
}
