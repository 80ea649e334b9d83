import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSchemaErrors } from './compose-schema';
import { environmentOf, interpolate, readComposeFile, type ComposeFile, type ComposeService } from './compose-file';
import { natsConfigVariables, natsUsers } from './nats-config';

// docker-compose.yml cannot be run here (no Docker engine): this spec is what keeps it deployable.
// It reads the file the way Docker Compose does (merge keys, then interpolation from `.env`), checks
// it against the Compose Specification schema, and checks Accord's own rules: one image for all
// apps, a healthcheck on every service, start order by health, NATS users matching the
// permissions config, secrets required from the operator and named in the file's header.

const ROOT = join(__dirname, '..', '..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const NATS_CONFIG = readFileSync(join(ROOT, 'deploy/nats/nats-server.conf'), 'utf8');
const IMAGE = 'accord:local';

/** Compose service → the app folder whose built entry point it runs. */
const APPS: Readonly<Record<string, string>> = {
  gateway: 'gateway',
  membership: 'membership-service',
  invitation: 'invitation-service',
  'api-token': 'api-token-service',
  notification: 'notification-service',
};
const NATS_SERVICES = ['membership', 'invitation', 'api-token', 'notification'];

/** The secrets the operator must put in `.env` (the NATS passwords are the config's own list). */
const REQUIRED_SECRETS = ['POSTGRES_PASSWORD', 'JWT_SECRET', 'INVITATION_LINK_KEY'];

/** An operator's `.env`: a value for each required variable; the optional ones keep their defaults. */
function operatorEnv(file: ComposeFile): Record<string, string> {
  const required = [...interpolate(file, {}).variables].filter(([, how]) => how === 'required');
  return Object.fromEntries(required.map(([name]) => [name, `p${Buffer.from(name).toString('hex').slice(0, 48)}`]));
}

const raw = readComposeFile(COMPOSE_FILE);
const { document: compose } = interpolate(raw, operatorEnv(raw));
const services = Object.entries(compose.services);
const appServices = services.filter(([, service]) => service.image === IMAGE);

function withService(name: string, change: (service: Record<string, unknown>) => void): ComposeFile {
  const copy = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
  change(copy.services[name]!);
  return copy as unknown as ComposeFile;
}

function commandOf(service: ComposeService): readonly string[] {
  const command = service.command;
  return typeof command === 'string' ? command.split(/\s+/) : (command ?? []);
}

describe('docker-compose.yml against the Compose Specification', () => {
  it("is valid once interpolated from an operator's .env (required variables set, defaults for the rest)", () => {
    expect(composeSchemaErrors(compose)).toEqual([]);
  });

  it('is checked: a misspelt healthcheck key, a bad duration and an unknown condition are refused', () => {
    const misspelt = withService('gateway', (gateway) => {
      gateway['healthcheck'] = { test: ['CMD', 'true'], intervall: '10s' };
    });
    expect(composeSchemaErrors(misspelt)).toContain(
      '/services/gateway/healthcheck: must NOT have additional properties (intervall)',
    );
    const badDuration = withService('nats', (nats) => {
      nats['healthcheck'] = { test: ['CMD', 'true'], interval: '10 seconds' };
    });
    expect(composeSchemaErrors(badDuration)).toContain(
      '/services/nats/healthcheck/interval: must match format "duration"',
    );
    const badCondition = withService('gateway', (gateway) => {
      gateway['depends_on'] = { nats: { condition: 'service_ready' } };
    });
    expect(composeSchemaErrors(badCondition).join('\n')).toMatch(/depends_on/);
  });
});

describe('docker-compose.yml runs Accord', () => {
  it('runs every app from the one Accord image, built from the Dockerfile', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual(Object.keys(APPS).sort());
    for (const [name, service] of appServices) {
      expect([name, service.build]).toEqual([name, '.']);
      // No `init: true`: the image's ENTRYPOINT already runs tini as PID 1.
      expect([name, (service as Record<string, unknown>)['init']]).toEqual([name, undefined]);
    }
  });

  it("runs each app's built entry point, dist/apps/<app>/src/main.js, whose source exists", () => {
    for (const [name, service] of appServices) {
      const app = APPS[name]!;
      expect([name, commandOf(service)]).toEqual([name, [`dist/apps/${app}/src/main.js`]]);
      expect([app, existsSync(join(ROOT, 'apps', app, 'src/main.ts'))]).toEqual([app, true]);
    }
  });

  it('mounts no host source: apps have no bind mounts; others only read-only files under ./deploy', () => {
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '');
        const readOnly = typeof volume === 'string' ? /:ro$/.test(volume) : volume.read_only === true;
        const bind = source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
        if (!bind) continue;
        expect([name, service.image === IMAGE ? 'app with a bind mount' : 'ok']).toEqual([name, 'ok']);
        expect([name, source, source.startsWith('./deploy/') && readOnly]).toEqual([name, source, true]);
        expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
      }
    }
  });

  it('gives every service a healthcheck that is not disabled', () => {
    for (const [name, service] of services) {
      const test = service.healthcheck?.test;
      expect([name, Array.isArray(test) ? test[0] : test]).toEqual([name, expect.stringMatching(/^CMD(-SHELL)?$/)]);
      expect([name, service.healthcheck?.disable]).not.toEqual([name, true]);
    }
  });

  it('probes the gateway on /health and each NATS service on its ops port 9464', () => {
    const probe = (name: string) => compose.services[name]!.healthcheck!.test as readonly string[];
    expect(probe('gateway')).toEqual([
      'CMD',
      'node',
      '/app/tools/deploy/healthcheck.js',
      'http://127.0.0.1:3000/health',
    ]);
    for (const name of NATS_SERVICES) {
      expect([name, probe(name).at(-1)]).toEqual([name, 'http://127.0.0.1:9464/health']);
      expect([name, environmentOf(compose.services[name]!).get('OPS_PORT')]).toEqual([name, '9464']);
    }
    expect(existsSync(join(ROOT, 'tools/deploy/healthcheck.js'))).toBe(true);
  });

  it('starts nothing before what it needs is healthy (depends_on with conditions, never a bare list)', () => {
    for (const [name, service] of services) {
      const dependsOn = service.depends_on ?? {};
      expect([name, Array.isArray(dependsOn)]).toEqual([name, false]);
      for (const [dependency, { condition }] of Object.entries(dependsOn)) {
        expect([name, dependency, condition]).toEqual([
          name,
          dependency,
          expect.stringMatching(/^service_(healthy|started)$/),
        ]);
        expect([dependency, dependency in compose.services]).toEqual([dependency, true]);
      }
    }
    for (const [name, service] of appServices) {
      const dependsOn = service.depends_on as Record<string, { condition: string }>;
      expect([name, dependsOn['postgres'], dependsOn['nats']]).toEqual([
        name,
        { condition: 'service_healthy' },
        { condition: 'service_healthy' },
      ]);
    }
    const gateway = compose.services['gateway']!.depends_on as Record<string, { condition: string }>;
    for (const name of NATS_SERVICES) expect([name, gateway[name]]).toEqual([name, { condition: 'service_healthy' }]);
  });

  it('connects every app to NATS as its own user of deploy/nats/nats-server.conf, with that user’s password', () => {
    const users = natsUsers(NATS_CONFIG);
    const { document: symbolic } = interpolate(raw, {});
    const seen = new Set<string>();
    for (const [name] of appServices) {
      const env = environmentOf(raw.services[name]!);
      const user = env.get('NATS_USER') ?? '';
      expect([name, users.has(user)]).toEqual([name, true]);
      expect([name, env.get('NATS_PASS')]).toEqual([
        name,
        expect.stringMatching(new RegExp(`^\\$\\{${users.get(user)}:\\?`)),
      ]);
      expect([name, seen.has(user)]).toEqual([name, false]);
      seen.add(user);
      expect([name, environmentOf(symbolic.services[name]!).get('NATS_URL')]).toEqual([name, 'nats://nats:4222']);
    }
  });

  it('passes nats-server every ACCORD_NATS_*_PASS its config reads, each required from .env', () => {
    const variables = [...natsConfigVariables(NATS_CONFIG)];
    expect(variables.length).toBeGreaterThanOrEqual(7);
    expect(variables.every((variable) => /^ACCORD_NATS_\w+_PASS$/.test(variable))).toBe(true);
    const natsEnv = environmentOf(raw.services['nats']!);
    for (const variable of variables)
      expect([variable, natsEnv.get(variable)]).toEqual([
        variable,
        expect.stringMatching(new RegExp(`^\\$\\{${variable}:\\?`)),
      ]);
    const mounts = (raw.services['nats']!.volumes ?? []).filter((v): v is string => typeof v === 'string');
    const config = mounts.find((volume) => volume.startsWith('./deploy/nats/nats-server.conf:'))?.split(':')[1];
    expect(commandOf(raw.services['nats']!)).toEqual(expect.arrayContaining(['-c', config]));
  });

  it('requires every secret from the operator and never leaves a variable silently empty', () => {
    const { variables, missing } = interpolate(raw, {});
    const required = [...variables].filter(([, how]) => how === 'required').map(([name]) => name);
    expect(required.sort()).toEqual([...REQUIRED_SECRETS, ...natsConfigVariables(NATS_CONFIG)].sort());
    expect([...variables].filter(([, how]) => how === 'plain')).toEqual([]);
    // Unset, each one stops `docker compose` with its message.
    expect(new Set(missing.map((line) => line.split(':')[0]))).toEqual(new Set(required));
    expect(missing.every((line) => /: set \w+ in \.env/.test(line))).toBe(true);
  });

  it('names every variable it reads in its header, where the operator looks for them', () => {
    const header = readFileSync(COMPOSE_FILE, 'utf8').split(/\n(?!#)/)[0]!;
    for (const name of interpolate(raw, {}).variables.keys())
      expect([name, header.includes(name)]).toEqual([name, true]);
  });

  it('gives the gateway its signing secrets and the link key only to the services that use it', () => {
    const env = (name: string) => environmentOf(raw.services[name]!);
    expect(env('gateway').get('JWT_SECRET')).toMatch(/^\$\{JWT_SECRET:\?/);
    expect(env('gateway').has('AUDIT_SIGNING_KEY')).toBe(true);
    const withLinkKey = appServices.filter(([name]) => env(name).has('INVITATION_LINK_KEY')).map(([name]) => name);
    expect(withLinkKey.sort()).toEqual(['invitation', 'notification']);
    const withJwt = appServices.filter(([name]) => env(name).has('JWT_SECRET')).map(([name]) => name);
    expect(withJwt).toEqual(['gateway']);
  });

  it('sends e-mail to mailpit and runs PostgreSQL 15 and NATS 2.10 on pinned images', () => {
    const notification = environmentOf(compose.services['notification']!);
    expect(notification.get('SMTP_URL')).toBe('smtp://mailpit:1025');
    expect(compose.services['mailpit']!.image).toMatch(/^axllent\/mailpit:v\d+\.\d+\.\d+$/);
    expect(compose.services['postgres']!.image).toMatch(/^postgres:15(\.|$)/);
    expect(compose.services['nats']!.image).toMatch(/^nats:2\.10\.\d+-alpine$/);
    expect(compose.services['postgres']!.healthcheck!.test).toEqual(expect.arrayContaining(['pg_isready']));
  });
});
