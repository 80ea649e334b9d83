import { queueGroups, subjects } from '@accord/contracts';
import { prefixSubject } from '@accord/messaging';
import { RequestStrategy, type NatsConnection, type Subscription } from 'nats';
import { combineHealth, processHealth, type ConsumerHealth, type HealthReport } from './consumer-health';

export type HealthService = keyof typeof subjects.health;

/** How long the gateway waits for the services' health answers (then: `unreachable`). */
export const HEALTH_TIMEOUT_MS = 1_000;
/** After the last answer, how long to wait for more replicas before answering. */
const HEALTH_JITTER_MS = 250;

/** The health subject of the service whose queue group is `queue`, if it has one. */
export function healthServiceOfQueue(queue: string): HealthService | null {
  const entry = Object.entries(queueGroups).find(([, group]) => group === queue);
  return entry && Object.hasOwn(subjects.health, entry[0]) ? (entry[0] as HealthService) : null;
}

/**
 * A service process answers `accord.health.<service>` with its own registry. No queue group: every
 * replica answers, so the gateway sees a failure on any of them.
 */
export function answerHealthRequests(
  nats: NatsConnection,
  options: { readonly service: HealthService; readonly prefix?: string; readonly health?: ConsumerHealth },
): Subscription {
  const health = options.health ?? processHealth;
  return nats.subscribe(prefixSubject(options.prefix, subjects.health[options.service]), {
    callback: (error, msg) => {
      if (error) return;
      msg.respond(JSON.stringify(health.snapshot()));
    },
  });
}

/**
 * The gateway's view: asks every service's replicas (all answers within `timeoutMs`, stopping
 * shortly after the last one) and merges them. A service nobody answers for is `unreachable`.
 */
export async function collectServiceHealth(
  nats: NatsConnection,
  options: { readonly services: readonly HealthService[]; readonly prefix?: string; readonly timeoutMs?: number },
): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? HEALTH_TIMEOUT_MS;
  const reports = await Promise.all(
    options.services.map(async (service) => ({
      service: queueGroups[service],
      report: await askService(nats, prefixSubject(options.prefix, subjects.health[service]), timeoutMs),
    })),
  );
  return combineHealth(reports);
}

async function askService(nats: NatsConnection, subject: string, timeoutMs: number): Promise<HealthReport | null> {
  const answers: HealthReport[] = [];
  try {
    const replies = await nats.requestMany(subject, '', {
      strategy: RequestStrategy.JitterTimer,
      maxWait: timeoutMs,
      jitter: HEALTH_JITTER_MS,
    });
    for await (const msg of replies) {
      const report = parseReport(msg.data);
      if (report) answers.push(report);
    }
  } catch {
    // no responders, timeout, connection closed: whatever answered so far counts
  }
  if (answers.length === 0) return null;
  const failed = answers.flatMap((a) => a.failed ?? []);
  return failed.length ? { status: 'degraded', failed } : { status: 'ok' };
}

function parseReport(data: Uint8Array): HealthReport | null {
  try {
    const value = JSON.parse(new TextDecoder().decode(data)) as HealthReport;
    if (value && (value.status === 'ok' || value.status === 'degraded'))
      return { status: value.status, ...(Array.isArray(value.failed) ? { failed: value.failed } : {}) };
  } catch {
    // not a report: ignored
  }
  return null;
}

/**
 * The services whose health the gateway gathers: `HEALTH_SERVICES` (comma-separated keys of
 * `subjects.health`, e.g. `membership,invitation,token`) when set; else all of them, minus the
 * notification service when `SMTP_URL` is unset — the same rule `npm run start:services` uses to
 * leave it out, so a topology without e-mail does not report it `unreachable` forever.
 */
export function healthServicesFromEnv(env: Record<string, string | undefined> = process.env): HealthService[] {
  const all = Object.keys(subjects.health) as HealthService[];
  const listed = env['HEALTH_SERVICES'];
  if (listed !== undefined && listed.trim() !== '') {
    const names = listed
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    const unknown = names.filter((n) => !Object.hasOwn(subjects.health, n));
    if (unknown.length)
      throw new Error(`HEALTH_SERVICES names unknown services: ${unknown.join(', ')} (known: ${all.join(', ')})`);
    return names as HealthService[];
  }
  return env['SMTP_URL'] ? all : all.filter((s) => s !== 'notification');
}
