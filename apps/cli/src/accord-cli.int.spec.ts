import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { membershipProjection } from '@accord/membership-service';
import { auditExportLines, generateSigningKey, loadSigningKey } from '@accord/audit';
import { accord } from './testing/run-captured';
import { STORES_UNDER_TEST, type StoreUnderTest } from './testing/stores-under-test';

// Every `accord` command against the two stores it knows: PostgreSQL (DATABASE_URL) and an
// embedded data folder (--data-dir), each holding a real history written by the membership service.
// Replay and tail are in replay-and-tail.int.spec.ts.

describe.each(STORES_UNDER_TEST)('accord on %s', (_name, open) => {
  let target: StoreUnderTest;
  const run = (...args: string[]) => accord([...args, ...target.args], target.env);

  beforeAll(async () => {
    target = await open();
  }, 60_000);
  afterAll(() => target?.close());

  describe('events read', () => {
    it('prints every event of the account in global order, with the full envelope', async () => {
      const result = await run('events', 'read', '--account', target.story.accountId, '--json');
      expect(result.code).toBe(0);
      const events = result.json();
      expect(events.map((e) => e.type)).toEqual(['AccountCreated', 'MemberJoined', 'RoleChanged', 'MemberRemoved']);
      const positions = events.map((e) => e.globalPosition);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(Object.keys(events[0]).sort()).toEqual(
        [
          'accountId',
          'actor',
          'causationId',
          'correlationId',
          'data',
          'globalPosition',
          'id',
          'occurredAt',
          'schemaVersion',
          'streamId',
          'streamPosition',
          'type',
        ].sort(),
      );
    });

    it('filters by type, stream, instants, position and limit', async () => {
      const { accountId, whileAccountant, whileAdministrator } = target.story;
      const byType = await run(
        'events',
        'read',
        '--account',
        accountId,
        '--type',
        'RoleChanged,MemberRemoved',
        '--json',
      );
      expect(byType.json().map((e) => e.type)).toEqual(['RoleChanged', 'MemberRemoved']);
      const byStream = await run('events', 'read', '--stream', `account-${accountId}`, '--limit', '2', '--json');
      expect(byStream.json().map((e) => e.type)).toEqual(['AccountCreated', 'MemberJoined']);
      const after = byStream.json()[1].globalPosition;
      const rest = await run('events', 'read', '--account', accountId, '--after-position', String(after), '--json');
      expect(rest.json().map((e) => e.type)).toEqual(['RoleChanged', 'MemberRemoved']);
      const between = await run(
        'events',
        'read',
        '--account',
        accountId,
        '--from',
        whileAccountant,
        '--to',
        whileAdministrator,
        '--json',
      );
      expect(between.json().map((e) => e.type)).toEqual(['RoleChanged']);
    });

    it('prints a readable line per event without --json', async () => {
      const result = await run('events', 'read', '--account', target.story.accountId, '--type', 'RoleChanged');
      expect(result.stdout).toMatch(/#\d+ +\S+Z +RoleChanged v1 +account-/);
      expect(result.stdout).toContain('by auth0|olivia (session)');
    });

    it('refuses bad arguments with exit 2 and opens nothing', async () => {
      expect((await run('events', 'read', '--account', 'not-a-uuid')).code).toBe(2);
      expect((await run('events', 'read', '--from', 'yesterday')).code).toBe(2);
      const both = await run(
        'events',
        'read',
        '--account',
        target.story.accountId,
        '--stream',
        `account-${target.story.accountId}`,
      );
      expect(both.code).toBe(2);
    });
  });

  describe('audit export and verify', () => {
    let keyFile: string;
    let exportFile: string;
    let publicKey: string;

    beforeAll(async () => {
      keyFile = join(target.dir, 'audit-key.pem');
      const keygen = await accord(['audit', 'keygen', '--out', keyFile]);
      expect(keygen.code).toBe(0);
      publicKey = keygen.stdout.slice(keygen.stdout.indexOf('-----BEGIN PUBLIC KEY-----'));
      exportFile = join(target.dir, 'export.jsonl');
      const exported = await accord(
        ['audit', 'export', '--account', target.story.accountId, '--out', exportFile, ...target.args],
        {
          ...target.env,
          AUDIT_SIGNING_KEY: keyFile,
        },
      );
      expect(exported.code).toBe(0);
      expect(exported.stdout).toContain('Exported 4 events');
    }, 30_000);

    const verify = (file: string, ...extra: string[]) => accord(['audit', 'verify', file, ...extra]);
    const tampered = (name: string, change: (lines: string[]) => string[]) => {
      const lines = readFileSync(exportFile, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      const file = join(target.dir, `${name}.jsonl`);
      writeFileSync(file, `${change(lines).join('\n')}\n`);
      return file;
    };

    it('exports a chained, signed file that verifies', async () => {
      const lines = readFileSync(exportFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(5);
      expect(lines[0].prevHash).toBe('0'.repeat(64));
      expect(lines[1].prevHash).toBe(lines[0].hash);
      expect(lines[4]).toMatchObject({
        type: 'AuditExportHead',
        accountId: target.story.accountId,
        count: 4,
        lastHash: lines[3].hash,
      });
      const result = await verify(exportFile, '--public-key', publicKey);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('4 events verified');
    });

    it.each([
      ['a changed line', (l: string[]) => l.map((x, i) => (i === 1 ? x.replace('accountant', 'administrator') : x)), 2],
      ['a removed line', (l: string[]) => l.filter((_, i) => i !== 2), 3],
      ['two lines swapped', (l: string[]) => [l[0]!, l[2]!, l[1]!, ...l.slice(3)], 2],
      ['an inserted line', (l: string[]) => [l[0]!, l[1]!, l[1]!, ...l.slice(2)], 3],
    ])('fails on %s, naming the line', async (name, change, line) => {
      const result = await verify(tampered(name.replace(/ /g, '-'), change));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`line ${line}`);
    });

    it('fails when signed by another key than the one pinned', async () => {
      const other = await accord(['audit', 'keygen', '--out', join(target.dir, `other-${Date.now()}.pem`)]);
      const otherPublic = other.stdout.slice(other.stdout.indexOf('-----BEGIN PUBLIC KEY-----'));
      const result = await verify(exportFile, '--public-key', otherPublic);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('line 5');
    });

    it('catches a re-chained, re-signed forgery by the key it expects (AUDIT_SIGNING_KEY), not by the one the file names', async () => {
      const events = readFileSync(exportFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((l) => l.type !== 'AuditExportHead')
        .map(({ prevHash: _p, hash: _h, ...event }) => event);
      events[1].data.role = 'owner';
      const forger = generateSigningKey();
      const forged = join(target.dir, 'forged.jsonl');
      const lines: string[] = [];
      for await (const line of auditExportLines(
        (async function* () {
          yield* events;
        })(),
        { accountId: target.story.accountId, from: null, to: null, signingKey: loadSigningKey(forger.privateKeyPem) },
      ))
        lines.push(line);
      writeFileSync(forged, lines.join(''));

      const unpinned = await verify(forged);
      expect(unpinned.code).toBe(0);
      expect(unpinned.stdout).toContain('No key was pinned');
      const expected = await accord(['audit', 'verify', forged], { AUDIT_SIGNING_KEY: keyFile });
      expect(expected.code).toBe(1);
      expect(expected.stderr).toContain('line 5');
    });

    it('refuses to export without a signing key', async () => {
      const result = await accord(
        [
          'audit',
          'export',
          '--account',
          target.story.accountId,
          '--out',
          join(target.dir, 'unsigned.jsonl'),
          ...target.args,
        ],
        { ...target.env, AUDIT_SIGNING_KEY: undefined },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('AUDIT_SIGNING_KEY');
    });
  });

  describe('access-at', () => {
    const ask = (at: string, permission = 'project:manage') =>
      run(
        'access-at',
        '--account',
        target.story.accountId,
        '--user',
        target.story.memberId,
        '--permission',
        permission,
        '--at',
        at,
        '--json',
      ).then((r) => {
        expect(r.code).toBe(0);
        return r.json()[0];
      });

    it('answers before a grant, during it, after a role change and after removal, naming the events', async () => {
      const { beforeJoin, whileAccountant, whileAdministrator, afterRemoval } = target.story;
      const events = (await run('events', 'read', '--account', target.story.accountId, '--json')).json();
      const id = (type: string) => events.find((e) => e.type === type).id;

      expect(await ask(beforeJoin)).toMatchObject({
        allowed: false,
        reason: 'not a member of this account',
        grants: [],
      });

      const accountant = await ask(whileAccountant);
      expect(accountant).toMatchObject({ allowed: false, role: 'accountant' });
      const reads = await ask(whileAccountant, 'project:read');
      expect(reads).toMatchObject({ allowed: true, reason: 'role accountant' });
      expect(reads.grants.map((g: any) => g.eventId)).toContain(id('MemberJoined'));

      const administrator = await ask(whileAdministrator);
      expect(administrator).toMatchObject({ allowed: true, reason: 'role administrator' });
      expect(administrator.grants.map((g: any) => g.eventId)).toContain(id('RoleChanged'));
      expect(administrator.grants[0].actor).toMatchObject({ userId: expect.any(String), via: expect.any(String) });

      const removed = await ask(afterRemoval);
      expect(removed).toMatchObject({ allowed: false, reason: 'not a member of this account' });
      expect(removed.grants.map((g: any) => g.eventId)).toEqual([id('MemberRemoved')]);
    });
  });

  describe('projections', () => {
    const name = membershipProjection.name;

    it('status lists every read model and reactor with its checkpoint and lag', async () => {
      const result = await run('projections', 'status', '--json');
      expect(result.code).toBe(0);
      const rows = result.json();
      expect(rows.find((r) => r.name === `projection:${name}`)).toMatchObject({ state: 'running', eventsBehind: 0 });
      // Registered but never run against this store (only the membership service wrote it).
      expect(rows.find((r) => r.name === 'consumer:notification-mailer')).toMatchObject({ state: 'never started' });
    });

    it('rebuild --verify passes on an untouched read model, finds an injected difference, and --force repairs it', async () => {
      const untouched = await run('projections', 'rebuild', name, '--verify');
      expect(untouched.code).toBe(0);
      expect(untouched.stdout).toContain('equal to the live read model');

      await target.withSql((sql) =>
        sql.query(`UPDATE membership_members SET role = 'administrator' WHERE user_id = $1`, [target.story.ownerId]),
      );
      const corrupted = await run('projections', 'rebuild', name, '--verify');
      expect(corrupted.code).toBe(1);
      expect(corrupted.stdout).toMatch(/membership_members: 1 row\(s\) only in the live table, 1 only in the rebuild/);

      const refused = await run('projections', 'rebuild', name);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('not swapped');
      expect((await run('projections', 'rebuild', name, '--verify')).code).toBe(1);

      const forced = await run('projections', 'rebuild', name, '--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain('Swapped');
      expect((await run('projections', 'rebuild', name, '--verify')).code).toBe(0);
    });

    it('names the read models it knows when asked for another', async () => {
      const result = await run('projections', 'rebuild', 'nope', '--verify');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(name);
    });
  });
});

describe('accord on a data folder a running server holds', () => {
  it('says so, names the server, and exits 2 without opening it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-cli-locked-'));
    mkdirSync(join(dir, 'pglite'));
    const server = spawn('sleep', ['30']);
    try {
      writeFileSync(
        join(dir, 'accord.lock'),
        JSON.stringify({
          pid: server.pid,
          role: 'server',
          since: new Date().toISOString(),
          url: 'http://127.0.0.1:3000',
        }),
      );
      const result = await accord(['events', 'read', '--data-dir', dir], { DATABASE_URL: undefined });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`in use by a running Accord server (pid ${server.pid}, http://127.0.0.1:3000)`);
    } finally {
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
