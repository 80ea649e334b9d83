import { connectTestNats, natsTestPrefix } from '@accord/testing';
import type { NatsConnection } from 'nats';
import { ConsumerHealth } from './consumer-health';
import { answerHealthRequests, collectServiceHealth } from './health-over-nats';

// Each service process answers accord.health.<service> with its own registry; the gateway gathers
// them on the machine's NATS, under a prefix of this run only.
describe('service health over NATS (issue 8, rule 3)', () => {
  const prefix = natsTestPrefix();
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connectTestNats();
  });
  afterAll(async () => {
    await nc.close();
  });

  it('gathers every replica of every service; a failure on one replica degrades; a service nobody answers for is unreachable', async () => {
    const membership = new ConsumerHealth();
    membership.report('projection:membership', { state: 'running' });
    const healthyReplica = new ConsumerHealth();
    const failedReplica = new ConsumerHealth();
    const failure = {
      eventId: 'e-1',
      eventType: 'MemberRemoved',
      position: 7,
      error: 'cannot apply',
      since: new Date().toISOString(),
    };
    failedReplica.report('projection:notification.directory-inbox.v1', { state: 'failed', ...failure });
    const subs = [
      answerHealthRequests(nc, { service: 'membership', prefix, health: membership }),
      answerHealthRequests(nc, { service: 'notification', prefix, health: healthyReplica }),
      answerHealthRequests(nc, { service: 'notification', prefix, health: failedReplica }),
    ];
    try {
      await nc.flush();
      const started = Date.now();
      const report = await collectServiceHealth(nc, {
        services: ['membership', 'notification', 'token'],
        prefix,
        timeoutMs: 500,
      });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(report).toEqual({
        status: 'degraded',
        failed: [{ name: 'projection:notification.directory-inbox.v1', service: 'notification-service', ...failure }],
        unreachable: ['token-service'],
      });
      expect(await collectServiceHealth(nc, { services: ['membership'], prefix, timeoutMs: 500 })).toEqual({
        status: 'ok',
      });
    } finally {
      for (const sub of subs) sub.unsubscribe();
    }
  });
});
