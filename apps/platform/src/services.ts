import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_OPS_PORT, gatewayConfig, linkKeyConfig, servicesConfig } from '@accord/service-kit';

// `npm run start:services`: the gateway and each service as its own process over NATS and
// PostgreSQL — the production topology on one machine. Configuration is validated here first so a
// bad variable is reported once, by name, before anything starts.
const root = join(__dirname, '..', '..', '..');
// The notification service needs an SMTP server; without SMTP_URL the rest runs without e-mail.
const apps = [
  'membership-service',
  'invitation-service',
  'api-token-service',
  ...(process.env['SMTP_URL'] ? ['notification-service'] : []),
  'gateway',
];

// Built (`node dist/apps/platform/src/services.js`) each app runs from its sibling build; from
// source (`npm run start:services`) through ts-node, like this file.
const built = __filename.endsWith('.js');

/** The node arguments that start one app the same way this file runs. */
function appArgs(app: string): string[] {
  return built
    ? [join(root, 'apps', app, 'src/main.js')]
    : ['-r', join(root, 'tools/register.js'), join(root, 'apps', app, 'src/main.ts')];
}

function main() {
  try {
    servicesConfig();
    gatewayConfig();
    linkKeyConfig();
    if (!process.env['SMTP_URL'])
      console.warn('SMTP_URL is not set: starting without the notification service (no e-mail, no inbox).');
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = (code: number) => {
    stopping = true;
    for (const child of children.values()) child.kill('SIGTERM');
    setTimeout(() => process.exit(code), 3000).unref();
  };
  // One machine, one ops port per service: OPS_PORT (default 9464) for the first, the next ones after it.
  const firstOpsPort = Number(process.env['OPS_PORT'] || DEFAULT_OPS_PORT);
  for (const [index, app] of apps.entries()) {
    const opsPort = app === 'gateway' || firstOpsPort === 0 ? firstOpsPort : firstOpsPort + index;
    const env = { ...process.env, OPS_PORT: String(opsPort) };
    const child = spawn(process.execPath, appArgs(app), { stdio: 'inherit', env });
    children.set(app, child);
    child.on('exit', (code, signal) => {
      children.delete(app);
      if (!stopping) {
        console.error(`${app} exited (${signal ?? code}); stopping the others`);
        stopAll(1);
      } else if (children.size === 0) {
        process.exit(0);
      }
    });
  }
  process.once('SIGINT', () => stopAll(0));
  process.once('SIGTERM', () => stopAll(0));
}

main();
