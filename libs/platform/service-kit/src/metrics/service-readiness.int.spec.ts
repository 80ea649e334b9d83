import { connect } from 'nats';
import { createTestPglite } from '@accord/testing';
import { ConsumerHealth } from '../consumer-health';
import { serviceReadiness } from './service-readiness';

describe('readiness of a service process (its ops port GET /health)', () => {
  it('ready while NATS is connected, the database answers and nothing stopped; not ready, saying what, otherwise', async () => {
    const nats = await connect({ servers: '127.0.0.1:4222' });
    const sql = await createTestPglite();
    const health = new ConsumerHealth();
    const readiness = serviceReadiness({ nats, sql, health });
    try {
      expect(await readiness()).toEqual({ ready: true, body: { status: 'ok', nats: 'ok', database: 'ok' } });

      const failure = {
        eventId: 'e-1',
        eventType: 'MemberRemoved',
        position: 42,
        error: 'x',
        since: '2024-05-01T12:00:00.000Z',
      };
      health.report('projection:membership.members.v2', { state: 'failed', ...failure });
      expect(await readiness()).toEqual({
        ready: false,
        body: {
          status: 'unavailable',
          nats: 'ok',
          database: 'ok',
          failed: [{ name: 'projection:membership.members.v2', ...failure }],
        },
      });
      health.report('projection:membership.members.v2', { state: 'running' });

      await sql.close();
      expect(await readiness()).toMatchObject({ ready: false, body: { database: 'down', nats: 'ok' } });
      await nats.close();
      expect(await readiness()).toMatchObject({ ready: false, body: { nats: 'down' } });
    } finally {
      if (!nats.isClosed()) await nats.close();
    }
  });
});
