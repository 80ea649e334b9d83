import { readModelStatus, swapReadModel, rebuildReadModel, verifyReadModel } from '@accord/projections';
import { processHealth } from '@accord/service-kit';
import { eventually, runSliceScenario } from '@accord/testing';
import { useEmbeddedPlatform } from '../testing/embedded-harness';
import { projectionRunnersOf } from '../testing/read-model-check';
import { knownConsumerNames, NOT_PROJECTED_TABLES, READ_MODELS, REACTORS, readModelNamed } from '@accord/read-models';

// `accord projections status|rebuild --verify` on the real read models of an embedded platform
// after real traffic: what CI runs after the end-to-end suites — a rebuilt read model equals the
// live one, for every read model.
describe('the platform read models, rebuilt and compared while the platform runs', () => {
  const e2e = useEmbeddedPlatform('read-models');
  const options = { notProjected: NOT_PROJECTED_TABLES };

  /** Accounts, invitations accepted, a role change, an API token issued and revoked, members removed, lifecycles. */
  const traffic = async () => {
    const { call, accountId, mike, mikeToken, oliviaToken } = await runSliceScenario(
      e2e.platform.url,
      e2e.config.jwtSecret,
    );
    const issued = await call('POST', `/v1/accounts/${accountId}/tokens`, { token: mikeToken, body: { name: 'CI' } });
    expect(issued.status).toBe(201);
    expect(
      (await call('DELETE', `/v1/accounts/${accountId}/tokens/${issued.body.id}`, { token: mikeToken })).status,
    ).toBe(200);
    await call('POST', `/v1/accounts/${accountId}/tokens`, { token: mikeToken, body: { name: 'kept' } });
    const demoted = await call('PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: oliviaToken,
      body: { role: 'accountant' },
    });
    expect(demoted.status).toBe(200);
    const second = await runSliceScenario(e2e.platform.url, e2e.config.jwtSecret);
    const removed = await call('DELETE', `/v1/accounts/${second.accountId}/members/${second.mike.userId}`, {
      token: second.oliviaToken,
    });
    expect(removed.status).toBeLessThan(300);
    // The lifecycles every other reaction follows: an access renamed then revoked (its member goes),
    // an account closed (invitations and tokens go), a webhook endpoint registered.
    const third = await runSliceScenario(e2e.platform.url, e2e.config.jwtSecret);
    const access = `/v1/accounts/${third.accountId}/accesses/${third.accessId}`;
    expect((await call('PATCH', access, { token: third.oliviaToken, body: { name: 'Renamed' } })).status).toBe(200);
    expect((await call('DELETE', access, { token: third.oliviaToken })).status).toBe(200);
    const webhook = await call('POST', `/v1/accounts/${third.accountId}/webhooks`, {
      token: third.oliviaToken,
      body: { url: 'https://hooks.example.com/accord', eventTypes: ['MemberRemoved'] },
    });
    expect(webhook.status).toBe(201);
    const fourth = await runSliceScenario(e2e.platform.url, e2e.config.jwtSecret);
    const closed = await call('POST', `/v1/accounts/${fourth.accountId}/close`, {
      token: fourth.oliviaToken,
      body: { confirmName: 'Acme' },
    });
    expect(closed.status).toBe(200);
  };

  beforeAll(async () => {
    await traffic();
  }, 60_000);

  it('lists every read model and reactor the platform runs', () => {
    const running = projectionRunnersOf(e2e.platform.services).map((runner) => runner.projection.name);
    expect([...READ_MODELS.map((p) => p.name)].sort()).toEqual([...running].sort());
    const reactors = processHealth.names().filter((name) => name.startsWith('consumer:'));
    expect(REACTORS.map((name) => `consumer:${name}`).sort()).toEqual(reactors.sort());
    expect(readModelNamed('projection:membership.members.v2')).toBe(READ_MODELS[0]);
  });

  it('status shows every read model and reactor running, the read models caught up', async () => {
    const { sql, store } = e2e.platform;
    for (const runner of projectionRunnersOf(e2e.platform.services)) expect(await runner.catchUp(10_000)).toBe(true);
    const status = await eventually(
      () => readModelStatus(sql, store, knownConsumerNames()),
      (rows) => rows.every((row) => row.state === 'running'),
    );
    expect(status.filter((row) => row.state !== 'running')).toEqual([]);
    expect(status.map((row) => row.name)).toEqual(expect.arrayContaining(knownConsumerNames()));
    for (const row of status.filter((r) => r.kind === 'projection')) {
      expect(row).toMatchObject({ state: 'running', eventsBehind: expect.any(Number) });
      expect(row.checkpoint).toBeGreaterThan(0);
    }
  });

  it.each(READ_MODELS.map((projection) => [projection.name, projection] as const))(
    'rebuild --verify of %s finds no difference',
    async (_name, projection) => {
      const comparison = await verifyReadModel(e2e.platform.sql, e2e.platform.store, projection, options);
      expect(comparison.tables.length).toBeGreaterThan(0);
      expect(comparison.tables.filter((t) => t.onlyLive + t.onlyRebuilt > 0 || t.problem)).toEqual([]);
      expect(comparison.equal).toBe(true);
    },
  );

  it('finds a changed member row, naming its table; a forced swap repairs it and the platform goes on', async () => {
    const { sql, store } = e2e.platform;
    const membership = readModelNamed('membership.members.v2')!;
    await sql.query(
      `UPDATE membership_members SET role = 'owner'
        WHERE (account_id, user_id) = (SELECT account_id, user_id FROM membership_members WHERE role <> 'owner'
                                        ORDER BY account_id, user_id LIMIT 1)`,
    );
    const found = await verifyReadModel(sql, store, membership, options);
    expect(found.equal).toBe(false);
    expect(found.tables.filter((t) => t.onlyLive + t.onlyRebuilt > 0)).toEqual([
      expect.objectContaining({ table: 'membership_members', onlyLive: 1, onlyRebuilt: 1 }),
    ]);

    const swapped = await swapReadModel(sql, await rebuildReadModel(sql, store, membership, options), {
      force: true,
    });
    expect(swapped.swapped).toBe(true);
    expect((await verifyReadModel(sql, store, membership, options)).equal).toBe(true);

    // The running read model goes on in the swapped tables.
    await traffic();
    for (const projection of READ_MODELS)
      expect((await verifyReadModel(sql, store, projection, options)).equal).toBe(true);
  }, 60_000);
});
