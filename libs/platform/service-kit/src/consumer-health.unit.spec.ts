import { combineHealth, ConsumerHealth } from './consumer-health';
import { healthServiceOfQueue, healthServicesFromEnv } from './health-over-nats';

const failure = {
  eventId: 'e-1',
  eventType: 'MemberRemoved',
  position: 42,
  error: 'cannot apply',
  since: '2024-05-01T12:00:00.000Z',
};

describe('ConsumerHealth (issue 8, rule 3)', () => {
  it('ok while everything reported runs', () => {
    const health = new ConsumerHealth();
    health.report('projection:a', { state: 'running' });
    health.report('consumer:b', { state: 'running' });
    expect(health.snapshot()).toEqual({ status: 'ok' });
  });

  it('degraded, naming each failed component with its event; a later running report clears it', () => {
    const health = new ConsumerHealth();
    health.report('projection:a', { state: 'running' });
    health.report('consumer:b', { state: 'failed', ...failure });
    expect(health.snapshot()).toEqual({ status: 'degraded', failed: [{ name: 'consumer:b', ...failure }] });
    health.report('consumer:b', { state: 'running' });
    expect(health.snapshot()).toEqual({ status: 'ok' });
  });

  it('combines the services: failures tagged with their service, silent services unreachable', () => {
    expect(combineHealth([{ service: 'membership-service', report: { status: 'ok' } }])).toEqual({ status: 'ok' });
    expect(
      combineHealth([
        { service: 'membership-service', report: { status: 'ok' } },
        {
          service: 'notification-service',
          report: { status: 'degraded', failed: [{ name: 'projection:inbox', ...failure }] },
        },
        { service: 'token-service', report: null },
      ]),
    ).toEqual({
      status: 'degraded',
      failed: [{ name: 'projection:inbox', service: 'notification-service', ...failure }],
      unreachable: ['token-service'],
    });
  });

  it('the gateway asks every service, minus notification without SMTP_URL, or exactly HEALTH_SERVICES', () => {
    expect(healthServicesFromEnv({ SMTP_URL: 'smtp://x' }).sort()).toEqual([
      'invitation',
      'membership',
      'notification',
      'token',
    ]);
    expect(healthServicesFromEnv({}).sort()).toEqual(['invitation', 'membership', 'token']);
    expect(healthServicesFromEnv({ HEALTH_SERVICES: 'membership, token' })).toEqual(['membership', 'token']);
    expect(() => healthServicesFromEnv({ HEALTH_SERVICES: 'membership,constructor' })).toThrow(/constructor/);
    expect(healthServiceOfQueue('notification-service')).toBe('notification');
    expect(healthServiceOfQueue('nobody')).toBeNull();
  });
});
