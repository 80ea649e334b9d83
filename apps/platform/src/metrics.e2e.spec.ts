import { randomUUID } from 'node:crypto';
import { subjects } from '@accord/contracts';
import { parsePrometheusText, sampleValue, type PrometheusSample } from '@accord/service-kit';
import { eventually, httpClient, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Issue 12, "Done when": /metrics shows the metrics, and their values move when something happens.
// The embedded profile serves everything of its one process on its one port.
describe('GET /metrics on the embedded profile', () => {
  const embedded = useEmbeddedPlatform('metrics');
  const membersProjection = { component: 'projection:membership.members.v2' };
  const accessesProjection = { component: 'projection:invitation.accesses.v5' };
  const shared = { subject: subjects.invitation.shareAccess, outcome: 'ok' };

  const scrape = async (): Promise<{ text: string; samples: PrometheusSample[] }> => {
    const response = await fetch(`${embedded.platform.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    return { text, samples: parsePrometheusText(text) };
  };
  const value = (samples: readonly PrometheusSample[], name: string, labels: Record<string, string> = {}) =>
    sampleValue(samples, name, labels) ?? 0;

  it('a share raises the commands counter and moves the projections checkpoints, and the lag comes back to 0', async () => {
    const call = embedded.call;
    const olivia = await sessionToken(embedded.config.jwtSecret, { email: `olivia-${randomUUID()}@example.com` });
    const account = await call('POST', '/v1/accounts', { token: olivia, body: { name: 'Metered' } });
    expect(account.status).toBe(201);
    const accountId = account.body.id as string;
    // Settled before the share: the account's own events are applied.
    const before = await eventually(
      scrape,
      ({ samples }) =>
        value(samples, 'accord_consumer_checkpoint_position', accessesProjection) >= account.body.position,
    );

    const recipient = `mike-${randomUUID()}@example.com`;
    const share = await call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: olivia,
      body: {
        name: 'Ops team',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        recipients: [recipient],
      },
    });
    expect(share.status).toBe(201);
    const sharedAt = share.body.position as number;
    expect(sharedAt).toBeGreaterThan(value(before.samples, 'accord_consumer_checkpoint_position', membersProjection));

    const after = await eventually(
      scrape,
      ({ samples }) =>
        value(samples, 'accord_consumer_checkpoint_position', membersProjection) >= sharedAt &&
        value(samples, 'accord_consumer_checkpoint_position', accessesProjection) >= sharedAt,
    );
    const delta = (name: string, labels: Record<string, string> = {}) =>
      value(after.samples, name, labels) - value(before.samples, name, labels);
    expect(delta('accord_commands_total', shared)).toBe(1);
    expect(delta('accord_consumer_checkpoint_position', membersProjection)).toBeGreaterThan(0);
    expect(delta('accord_consumer_checkpoint_position', accessesProjection)).toBeGreaterThan(0);
    // The gateway timed it by route template; the in-process request and the append were timed too.
    const route = after.samples.find(
      (s) =>
        s.name === 'accord_http_request_duration_seconds_count' &&
        s.labels['method'] === 'POST' &&
        s.labels['route']?.endsWith('/accesses'),
    );
    expect(route?.labels).toEqual({ method: 'POST', route: '/v1/accounts/:accountId/accesses', status_code: '201' });
    expect(
      delta('accord_request_duration_seconds_count', {
        transport: 'in-process',
        subject: shared.subject,
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(delta('accord_event_store_append_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(delta('accord_event_store_appended_events_total')).toBeGreaterThanOrEqual(1);
    // Every projection and reactor of the process is there, running.
    for (const component of [membersProjection, accessesProjection])
      expect(value(after.samples, 'accord_consumer_up', component)).toBe(1);
    // Process metrics, and no id or e-mail address in any label.
    expect(value(after.samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after.samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect(after.text).not.toContain(accountId);
    expect(after.text).not.toContain(recipient);
    expect(after.text).not.toContain('example.com');

    // Once nothing more happens, the projections have caught up with the store: no lag.
    const quiet = await eventually(scrape, ({ samples }) =>
      [membersProjection, accessesProjection].every(
        (component) => sampleValue(samples, 'accord_consumer_lag_events', component) === 0,
      ),
    );
    for (const component of [membersProjection, accessesProjection])
      expect(sampleValue(quiet.samples, 'accord_consumer_lag_seconds', component)).toBe(0);
  });

  it('a refused request is timed under its route template and the status it became, never its path', async () => {
    const call = embedded.call;
    const owner = await sessionToken(embedded.config.jwtSecret, { email: `owner-${randomUUID()}@example.com` });
    const stranger = await sessionToken(embedded.config.jwtSecret, { email: `eve-${randomUUID()}@example.com` });
    const account = await call('POST', '/v1/accounts', { token: owner, body: { name: 'Guarded' } });
    const labels = { method: 'PUT', route: '/v1/accounts/:accountId/invitation-settings', status_code: '404' };
    const before = value((await scrape()).samples, 'accord_http_request_duration_seconds_count', labels);
    const refused = await call('PUT', `/v1/accounts/${account.body.id}/invitation-settings`, {
      token: stranger,
      body: { expiryHours: 24 },
    });
    expect(refused.status).toBe(404);
    const after = await scrape();
    expect(value(after.samples, 'accord_http_request_duration_seconds_count', labels)).toBe(before + 1);
    expect(after.text).not.toContain(account.body.id);
  });

  it('serves /health/live without a token (and /metrics, as above)', async () => {
    const live = await httpClient(embedded.platform.url)('GET', '/health/live');
    expect([live.status, live.body]).toEqual([200, { status: 'live' }]);
  });
});
