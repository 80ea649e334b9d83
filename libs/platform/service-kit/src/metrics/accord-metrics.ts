import { collectDefaultMetrics, Registry, type Counter, type Gauge, type Histogram } from 'prom-client';
import type { AppendObserver, AppendOutcome } from '@accord/eventstore';
import type { ConsumerProgress, EventRelayStatus, RequestObserver } from '@accord/messaging';
import { processHealth, type ConsumerHealth } from '../consumer-health';
import { counterOf, gaugeOf, histogramOf } from './metric-factory';

/** Latency buckets (seconds) shared by the duration histograms: 1 ms to 10 s. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** The store is asked once per position per scrape (every gauge of the scrape shares the answer). */
const COUNT_MEMO_MS = 1_000;
/** Lag in events is counted up to this: far behind is far behind, and the count stays cheap. */
export const LAG_COUNT_CAP = 100_000;
const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** What the handler of a command or query answered: `ok`, an error kind, or `exception` (it threw). */
export type HandledOutcome = string;

/** A Prometheus exposition: the body of `GET /metrics` and its Content-Type. */
export interface Exposition {
  readonly contentType: string;
  readonly body: string;
}

/** The event store, counting what lies after a position: the consumers' and the relay's lag. */
export interface EventCounter {
  countEventsAfter(position: number, cap: number): Promise<number>;
}

/** An event relay, read at scrape time. */
export interface RelaySource {
  status(): EventRelayStatus;
}

/** Stops watching a source (its process part closes). */
export type Unwatch = () => void;

const perRegistry = new WeakMap<Registry, AccordMetrics>();

/**
 * Accord's Prometheus metrics on one registry (`processMetrics()` is the process's). Label values
 * come from code only — subjects, route templates, component names, error kinds — never ids,
 * e-mail addresses or raw paths, so every series count stays small.
 *
 * Recorders (`httpRequest`, `handled`, `authzChecked`, `delivered`, the observers) count as things
 * happen; the rest is read when scraped: the health registry's consumers (checkpoint, lag, failures),
 * and the sources a composition root watches (the store's head, the relay, the notification outbox).
 */
export class AccordMetrics {
  private readonly stores: EventCounter[] = [];
  private readonly relays: RelaySource[] = [];
  private readonly outboxes: Array<() => Promise<number>> = [];
  private counts: { readonly at: number; readonly after: Map<number, Promise<number | undefined>> } | null = null;
  private defaultMetrics = false;

  private readonly http: Histogram<'method' | 'route' | 'status_code'>;
  private readonly commands: Counter<'subject' | 'outcome'>;
  private readonly queries: Counter<'subject' | 'outcome'>;
  private readonly requests: Histogram<'transport' | 'subject' | 'outcome'>;
  private readonly appends: Histogram<'outcome'>;
  private readonly appendedEvents: Counter;
  private readonly conflicts: Counter;
  private readonly authz: Counter<'outcome'>;
  private readonly deliveries: Counter<'kind' | 'outcome'>;

  /** The metrics of `registry`: one instance per registry, however often asked. */
  static for(registry: Registry, options: { readonly health?: ConsumerHealth } = {}): AccordMetrics {
    let metrics = perRegistry.get(registry);
    if (!metrics) {
      metrics = new AccordMetrics(registry, options.health ?? processHealth);
      perRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private constructor(
    readonly registry: Registry,
    private readonly health: ConsumerHealth,
  ) {
    const r = registry;
    this.http = histogramOf(r, {
      name: 'accord_http_request_duration_seconds',
      help: 'HTTP requests the gateway answered, by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: DURATION_BUCKETS,
    });
    this.commands = counterOf(r, {
      name: 'accord_commands_total',
      help: 'Commands a service handled, by subject and outcome (ok, or the error kind)',
      labelNames: ['subject', 'outcome'],
    });
    this.queries = counterOf(r, {
      name: 'accord_queries_total',
      help: 'Queries a service handled, by subject and outcome (ok, or the error kind)',
      labelNames: ['subject', 'outcome'],
    });
    this.requests = histogramOf(r, {
      name: 'accord_request_duration_seconds',
      help: 'Requests this process sent to a service (NATS or in-process) until the reply, by subject and outcome',
      labelNames: ['transport', 'subject', 'outcome'],
      buckets: DURATION_BUCKETS,
    });
    this.appends = histogramOf(r, {
      name: 'accord_event_store_append_duration_seconds',
      help: 'Appends to the event store, by outcome (ok, conflict, error)',
      labelNames: ['outcome'],
      buckets: DURATION_BUCKETS,
    });
    this.appendedEvents = counterOf(r, {
      name: 'accord_event_store_appended_events_total',
      help: 'Events appended to the event store by this process',
    });
    this.conflicts = counterOf(r, {
      name: 'accord_event_store_conflicts_total',
      help: 'Appends refused for optimistic concurrency (another writer moved the stream first)',
    });
    this.authz = counterOf(r, {
      name: 'accord_authz_checks_total',
      help: 'Authorization checks answered, by outcome (allowed, denied)',
      labelNames: ['outcome'],
    });
    this.deliveries = counterOf(r, {
      name: 'accord_notification_deliveries_total',
      help: 'E-mail delivery attempts, by notification kind and outcome (sent, failed)',
      labelNames: ['kind', 'outcome'],
    });
    this.consumerMetrics(r);
  }

  /** Node.js and process metrics (CPU, memory, event loop, GC), once per registry. */
  withDefaultMetrics(): this {
    if (!this.defaultMetrics && this.registry.getSingleMetric('process_cpu_user_seconds_total') === undefined)
      collectDefaultMetrics({ register: this.registry });
    this.defaultMetrics = true;
    return this;
  }

  /** One HTTP request the gateway answered; `route` is the route template, never the raw path. */
  httpRequest(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    const verb = HTTP_METHODS.has(method) ? method : 'OTHER';
    this.http.observe({ method: verb, route: route ?? 'unmatched', status_code: String(statusCode) }, seconds);
  }

  /** One command or query a service handler answered. */
  handled(kind: 'command' | 'query', subject: string, outcome: HandledOutcome): void {
    (kind === 'command' ? this.commands : this.queries).inc({ subject, outcome });
  }

  /** For a request client of this process (`nats` or `in-process`). */
  requestObserver(transport: string): RequestObserver {
    return {
      requested: (subject, outcome, seconds) => this.requests.observe({ transport, subject, outcome }, seconds),
    };
  }

  /** For the event store of this process. */
  get appendObserver(): AppendObserver {
    return {
      appended: (outcome: AppendOutcome, events: number, seconds: number) => {
        this.appends.observe({ outcome }, seconds);
        if (outcome === 'ok') this.appendedEvents.inc(events);
        if (outcome === 'conflict') this.conflicts.inc();
      },
    };
  }

  /** One authorization decision. */
  authzChecked(allowed: boolean): void {
    this.authz.inc({ outcome: allowed ? 'allowed' : 'denied' });
  }

  /** One e-mail delivery attempt. */
  delivered(kind: string, outcome: 'sent' | 'failed'): void {
    this.deliveries.inc({ kind, outcome });
  }

  /** The event store the lag gauges count in (the latest watched one counts). */
  watchStore(store: EventCounter): Unwatch {
    return this.watch(this.stores, store, () => (this.counts = null));
  }

  /** The relay of this process (its metrics appear from the first watch on: a process without one shows none). */
  watchRelay(relay: RelaySource): Unwatch {
    this.relayMetrics(this.registry);
    return this.watch(this.relays, relay);
  }

  /** How many e-mails wait in the outbox (the notification service; the gauge appears with it). */
  watchOutbox(depth: () => Promise<number>): Unwatch {
    gaugeOf(this.registry, {
      name: 'accord_notification_outbox_depth',
      help: 'E-mails waiting in the notification outbox (pending deliveries)',
      collect: collectOne<Gauge>(async (gauge) => {
        const source = this.outboxes.at(-1);
        if (source) gauge.set(await source());
      }),
    });
    return this.watch(this.outboxes, depth);
  }

  /** The Prometheus text of everything registered. */
  async scrape(): Promise<Exposition> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private watch<T>(list: T[], item: T, changed?: () => void): Unwatch {
    list.push(item);
    changed?.();
    return () => {
      const index = list.lastIndexOf(item);
      if (index >= 0) list.splice(index, 1);
      changed?.();
    };
  }

  /** Events after `position` (capped), asked once per position per scrape; undefined when no store answers. */
  private eventsAfter(position: number): Promise<number | undefined> {
    const now = Date.now();
    if (!this.counts || now - this.counts.at >= COUNT_MEMO_MS) this.counts = { at: now, after: new Map() };
    let count = this.counts.after.get(position);
    if (!count) {
      const store = this.stores.at(-1);
      count = store
        ? store.countEventsAfter(position, LAG_COUNT_CAP).catch(() => undefined)
        : Promise.resolve(undefined);
      this.counts.after.set(position, count);
    }
    return count;
  }

  /** Events still to apply: JetStream's pending count when known, else counted in the store. */
  private async lagOf(progress: ConsumerProgress): Promise<number | undefined> {
    return progress.pending ?? this.eventsAfter(progress.position);
  }

  /** Per projection, read model and reactor of the health registry. */
  private consumerMetrics(r: Registry): void {
    const label = 'component';
    const each = (
      read: (gauge: Gauge<'component'>, name: string, progress: ConsumerProgress) => Promise<void> | void,
    ) =>
      collectOne<Gauge<'component'>>(async (gauge) => {
        for (const name of this.health.names()) {
          const progress = this.health.progressOf(name);
          if (progress) await read(gauge, name, progress);
        }
      });
    gaugeOf(r, {
      name: 'accord_consumer_checkpoint_position',
      help: 'Global position of the last event each projection, read model or reactor applied',
      labelNames: [label],
      collect: each((gauge, component, progress) => gauge.set({ component }, progress.position)),
    });
    gaugeOf(r, {
      name: 'accord_consumer_lag_events',
      help: `Events each projection, read model or reactor has yet to apply (JetStream pending, else counted in the store up to ${LAG_COUNT_CAP})`,
      labelNames: [label],
      collect: each(async (gauge, component, progress) => {
        const lag = await this.lagOf(progress);
        if (lag !== undefined) gauge.set({ component }, lag);
      }),
    });
    gaugeOf(r, {
      name: 'accord_consumer_lag_seconds',
      help: 'Seconds since the last applied event occurred, while events wait (0 when caught up)',
      labelNames: [label],
      collect: each(async (gauge, component, progress) => {
        const lag = lagSeconds(await this.lagOf(progress), progress.occurredAt, Date.now());
        if (lag !== undefined) gauge.set({ component }, lag);
      }),
    });
    gaugeOf(r, {
      name: 'accord_consumer_up',
      help: 'Whether each projection, read model or reactor runs (1) or stopped on an event it could not handle (0)',
      labelNames: [label],
      collect: collectOne<Gauge<'component'>>((gauge) => {
        for (const name of this.health.names())
          gauge.set({ component: name }, this.health.statusOf(name)?.state === 'failed' ? 0 : 1);
      }),
    });
    counterOf(r, {
      name: 'accord_consumer_failures_total',
      help: 'Times each projection, read model or reactor stopped on an event it could not handle',
      labelNames: [label],
      // Kept by the health registry; mirrored here at every scrape.
      collect: collectOne<Counter<'component'>>((counter) => {
        for (const name of this.health.names()) counter.inc({ component: name }, this.health.stopsOf(name));
      }),
    });
  }

  /** The relay of this process, while it holds the lock. */
  private relayMetrics(r: Registry): void {
    const relay = (): EventRelayStatus | undefined => this.relays.at(-1)?.status();
    gaugeOf(r, {
      name: 'accord_relay_active',
      help: 'Whether this process relays events to JetStream (1: holds the relay lock) or stands by (0)',
      collect: collectOne<Gauge>((gauge) => {
        const status = relay();
        if (status) gauge.set(status.active ? 1 : 0);
      }),
    });
    gaugeOf(r, {
      name: 'accord_relay_position',
      help: 'Global position of the last event relayed to JetStream (its checkpoint)',
      collect: collectOne<Gauge>((gauge) => {
        const status = relay();
        if (status?.active && status.position !== null) gauge.set(status.position);
      }),
    });
    gaugeOf(r, {
      name: 'accord_relay_lag_events',
      help: `Events in the store not yet relayed (counted up to ${LAG_COUNT_CAP})`,
      collect: collectOne<Gauge>(async (gauge) => {
        const status = relay();
        if (!status?.active || status.position === null) return;
        const lag = await this.eventsAfter(status.position);
        if (lag !== undefined) gauge.set(lag);
      }),
    });
    gaugeOf(r, {
      name: 'accord_relay_lag_seconds',
      help: 'Seconds since the last relayed event occurred, while events wait (0 when caught up)',
      collect: collectOne<Gauge>(async (gauge) => {
        const status = relay();
        if (!status?.active || status.position === null) return;
        const lag = lagSeconds(await this.eventsAfter(status.position), status.occurredAt ?? undefined, Date.now());
        if (lag !== undefined) gauge.set(lag);
      }),
    });
    counterOf(r, {
      name: 'accord_relay_published_events_total',
      help: 'Events this process published to JetStream (duplicates JetStream dropped not counted)',
      collect: collectOne<Counter>((counter) => {
        const status = relay();
        if (status) counter.inc(status.published);
      }),
    });
  }
}

/**
 * A collect function that starts from an empty metric, so a component, relay or outbox that is
 * gone shows no stale sample; a failing read (the database down) leaves it empty, never fails the scrape.
 */
function collectOne<M extends { reset(): void }>(read: (metric: M) => Promise<void> | void) {
  return async function (this: M): Promise<void> {
    this.reset();
    try {
      await read(this);
    } catch {
      // unknown this time: no sample rather than a wrong one
    }
  };
}

/**
 * Seconds behind: 0 when nothing waits; else since the last applied event occurred (the events
 * waiting occurred after it). Unknown without a lag or an applied event.
 */
export function lagSeconds(lag: number | undefined, occurredAt: string | undefined, now: number): number | undefined {
  if (lag === undefined) return undefined;
  if (lag === 0) return 0;
  const at = occurredAt === undefined ? NaN : Date.parse(occurredAt);
  return Number.isNaN(at) ? undefined : Math.max(0, (now - at) / 1000);
}

/** A registry of its own (tests, or a process that wants one apart from `processMetrics()`). */
export function createMetrics(options: { readonly health?: ConsumerHealth } = {}): AccordMetrics {
  return AccordMetrics.for(new Registry(), options);
}
