import { Counter, Gauge, Registry } from 'prom-client';
import { ConsumerHealth } from '../consumer-health';
import { AccordMetrics, createMetrics, lagSeconds, type EventCounter } from './accord-metrics';
import { counterOf, gaugeOf } from './metric-factory';
import { outcomeOf } from './handled-requests.interceptor';
import { parsePrometheusText, sampleValue, type PrometheusSample } from './prometheus-text';

const failure = {
  eventId: 'e-9',
  eventType: 'MemberRemoved',
  position: 9,
  error: 'cannot apply',
  since: '2024-05-01T12:00:00.000Z',
};

/** A store holding events at positions 1..head. */
const storeUpTo = (head: number): EventCounter => ({
  countEventsAfter: async (position, cap) => Math.min(cap, Math.max(0, head - position)),
});

async function samplesOf(metrics: AccordMetrics): Promise<PrometheusSample[]> {
  return parsePrometheusText((await metrics.scrape()).body);
}

describe('metric creation is idempotent: several platforms in one process share a registry', () => {
  it('given a registry, when its metrics are asked for twice, then the same metrics come back, each registered once', () => {
    const registry = new Registry();
    const first = AccordMetrics.for(registry);
    expect(AccordMetrics.for(registry)).toBe(first);
    expect(registry.getMetricsAsArray().filter((m) => m.name === 'accord_commands_total')).toHaveLength(1);
  });

  it('given a metric already registered, when it is created again, then the registered one is returned', () => {
    const registry = new Registry();
    const counter = counterOf(registry, { name: 'accord_test_total', help: 'test' });
    expect(counterOf(registry, { name: 'accord_test_total', help: 'test' })).toBe(counter);
    expect(counter).toBeInstanceOf(Counter);
  });

  it('given a name taken by another kind of metric, when it is created, then it throws naming it', () => {
    const registry = new Registry();
    counterOf(registry, { name: 'accord_test_total', help: 'test' });
    expect(() => gaugeOf(registry, { name: 'accord_test_total', help: 'test' })).toThrow(/accord_test_total/);
    expect(gaugeOf(registry, { name: 'accord_other', help: 'test' })).toBeInstanceOf(Gauge);
  });

  it('given two registries, then their counts are apart', async () => {
    const a = createMetrics({ health: new ConsumerHealth() });
    const b = createMetrics({ health: new ConsumerHealth() });
    a.handled('command', 'accord.cmd.membership.createAccount', 'ok');
    const subject = { subject: 'accord.cmd.membership.createAccount', outcome: 'ok' };
    expect(sampleValue(await samplesOf(a), 'accord_commands_total', subject)).toBe(1);
    expect(sampleValue(await samplesOf(b), 'accord_commands_total', subject)).toBeUndefined();
  });
});

describe('recorded metrics', () => {
  it('counts commands and queries apart, by subject and outcome', async () => {
    const metrics = createMetrics({ health: new ConsumerHealth() });
    metrics.handled('command', 'accord.cmd.invitation.shareAccess', 'ok');
    metrics.handled('command', 'accord.cmd.invitation.shareAccess', 'ok');
    metrics.handled('command', 'accord.cmd.invitation.shareAccess', 'forbidden');
    metrics.handled('query', 'accord.query.membership.members', 'ok');
    const samples = await samplesOf(metrics);
    const share = 'accord.cmd.invitation.shareAccess';
    expect(sampleValue(samples, 'accord_commands_total', { subject: share, outcome: 'ok' })).toBe(2);
    expect(sampleValue(samples, 'accord_commands_total', { subject: share, outcome: 'forbidden' })).toBe(1);
    expect(sampleValue(samples, 'accord_queries_total', { subject: 'accord.query.membership.members' })).toBe(1);
  });

  it('times appends by outcome and counts conflicts and appended events', async () => {
    const metrics = createMetrics({ health: new ConsumerHealth() });
    metrics.appendObserver.appended('ok', 3, 0.002);
    metrics.appendObserver.appended('conflict', 1, 0.001);
    const samples = await samplesOf(metrics);
    expect(sampleValue(samples, 'accord_event_store_append_duration_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'accord_event_store_append_duration_seconds_count', { outcome: 'conflict' })).toBe(1);
    expect(sampleValue(samples, 'accord_event_store_conflicts_total')).toBe(1);
    expect(sampleValue(samples, 'accord_event_store_appended_events_total')).toBe(3);
  });

  it('HTTP requests by route template; a request no route matched is `unmatched`, an odd method OTHER', async () => {
    const metrics = createMetrics({ health: new ConsumerHealth() });
    metrics.httpRequest('POST', '/v1/accounts/:accountId/accesses', 201, 0.03);
    metrics.httpRequest('BREW', undefined, 404, 0.001);
    const samples = await samplesOf(metrics);
    const route = { method: 'POST', route: '/v1/accounts/:accountId/accesses', status_code: '201' };
    expect(sampleValue(samples, 'accord_http_request_duration_seconds_count', route)).toBe(1);
    expect(
      sampleValue(samples, 'accord_http_request_duration_seconds_count', { method: 'OTHER', route: 'unmatched' }),
    ).toBe(1);
  });

  it('requests sent, authz decisions and deliveries', async () => {
    const metrics = createMetrics({ health: new ConsumerHealth() });
    metrics.requestObserver('nats').requested('accord.authz.check', 'ok', 0.004);
    metrics.authzChecked(true);
    metrics.authzChecked(false);
    metrics.authzChecked(false);
    metrics.delivered('invitation', 'sent');
    const samples = await samplesOf(metrics);
    expect(
      sampleValue(samples, 'accord_request_duration_seconds_count', {
        transport: 'nats',
        subject: 'accord.authz.check',
      }),
    ).toBe(1);
    expect(sampleValue(samples, 'accord_authz_checks_total', { outcome: 'allowed' })).toBe(1);
    expect(sampleValue(samples, 'accord_authz_checks_total', { outcome: 'denied' })).toBe(2);
    expect(sampleValue(samples, 'accord_notification_deliveries_total', { kind: 'invitation', outcome: 'sent' })).toBe(
      1,
    );
  });

  it('a reply becomes ok or its error kind, never a message', () => {
    expect(outcomeOf({ ok: true, value: {} })).toBe('ok');
    expect(outcomeOf({ ok: false, error: { kind: 'forbidden', message: 'mike@example.com may not' } })).toBe(
      'forbidden',
    );
    expect(outcomeOf({ ok: false, error: { kind: 'a kind with spaces and mike@example.com' } })).toBe('unknown');
    expect(outcomeOf(undefined)).toBe('unknown');
  });
});

describe('projections and reactors, read at scrape time from the health registry', () => {
  const past = '2024-05-01T12:00:00.000Z';

  it('checkpoint, lag in events counted in the store, lag in seconds while behind, up', async () => {
    const health = new ConsumerHealth();
    const metrics = createMetrics({ health });
    metrics.watchStore(storeUpTo(10));
    health.report('projection:membership.members.v2', { state: 'running' });
    health.progressed('projection:membership.members.v2', { position: 7, occurredAt: past });
    const samples = await samplesOf(metrics);
    const component = { component: 'projection:membership.members.v2' };
    expect(sampleValue(samples, 'accord_consumer_checkpoint_position', component)).toBe(7);
    expect(sampleValue(samples, 'accord_consumer_lag_events', component)).toBe(3);
    expect(sampleValue(samples, 'accord_consumer_lag_seconds', component)).toBeGreaterThan(3600);
    expect(sampleValue(samples, 'accord_consumer_up', component)).toBe(1);
    expect(sampleValue(samples, 'accord_consumer_failures_total', component)).toBe(0);
  });

  it('a component that stopped on an event: up 0 and one failure, however often it reports it', async () => {
    const health = new ConsumerHealth();
    const metrics = createMetrics({ health });
    health.report('consumer:notification-mailer', { state: 'running' });
    health.report('consumer:notification-mailer', { state: 'failed', ...failure });
    health.report('consumer:notification-mailer', { state: 'failed', ...failure });
    const samples = await samplesOf(metrics);
    const component = { component: 'consumer:notification-mailer' };
    expect(sampleValue(samples, 'accord_consumer_up', component)).toBe(0);
    expect(sampleValue(samples, 'accord_consumer_failures_total', component)).toBe(1);
  });

  it('JetStream pending counts as the lag; when the store does not answer the other lags are left out, the scrape still works', async () => {
    const health = new ConsumerHealth();
    const metrics = createMetrics({ health });
    metrics.watchStore({ countEventsAfter: () => Promise.reject(new Error('database down')) });
    health.report('membership-member-joiner', { state: 'running' });
    health.progressed('membership-member-joiner', { position: 5, occurredAt: past, pending: 0 });
    health.report('projection:invitation.accesses.v2', { state: 'running' });
    health.progressed('projection:invitation.accesses.v2', { position: 5 });
    const samples = await samplesOf(metrics);
    expect(sampleValue(samples, 'accord_consumer_lag_events', { component: 'membership-member-joiner' })).toBe(0);
    expect(sampleValue(samples, 'accord_consumer_lag_seconds', { component: 'membership-member-joiner' })).toBe(0);
    const projection = { component: 'projection:invitation.accesses.v2' };
    expect(sampleValue(samples, 'accord_consumer_lag_events', projection)).toBeUndefined();
    expect(sampleValue(samples, 'accord_consumer_checkpoint_position', projection)).toBe(5);
  });

  it('lag in seconds: 0 when caught up, else since the last applied event, unknown without one', () => {
    const now = Date.parse('2024-05-01T12:00:10.000Z');
    expect(lagSeconds(0, past, now)).toBe(0);
    expect(lagSeconds(3, past, now)).toBe(10);
    expect(lagSeconds(3, undefined, now)).toBeUndefined();
    expect(lagSeconds(undefined, past, now)).toBeUndefined();
  });
});

describe('the relay and the outbox', () => {
  it('show nothing in a process without them', async () => {
    const samples = await samplesOf(createMetrics({ health: new ConsumerHealth() }));
    expect(samples.filter((s) => s.name.startsWith('accord_relay_') || s.name.includes('outbox'))).toEqual([]);
  });

  it('the active relay: position, lag counted in the store, published events; a standby shows only that it stands by', async () => {
    const metrics = createMetrics({ health: new ConsumerHealth() });
    metrics.watchStore(storeUpTo(12));
    let status = { active: true, published: 8, duplicates: 0, position: 8, occurredAt: '2024-05-01T12:00:00.000Z' };
    const unwatch = metrics.watchRelay({ status: () => status });
    let samples = await samplesOf(metrics);
    expect(sampleValue(samples, 'accord_relay_active')).toBe(1);
    expect(sampleValue(samples, 'accord_relay_position')).toBe(8);
    expect(sampleValue(samples, 'accord_relay_lag_events')).toBe(4);
    expect(sampleValue(samples, 'accord_relay_published_events_total')).toBe(8);
    status = { ...status, active: false };
    samples = await samplesOf(metrics);
    expect(sampleValue(samples, 'accord_relay_active')).toBe(0);
    unwatch();
  });

  it('the outbox depth is asked when scraped', async () => {
    const metrics = createMetrics({ health: new ConsumerHealth() });
    let depth = 2;
    metrics.watchOutbox(async () => depth);
    expect(sampleValue(await samplesOf(metrics), 'accord_notification_outbox_depth')).toBe(2);
    depth = 0;
    expect(sampleValue(await samplesOf(metrics), 'accord_notification_outbox_depth')).toBe(0);
  });
});
