import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { gatewayConfig, linkKeyConfig, servicesConfig } from '@accord/service-kit';

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
  for (const app of apps) {
    const child = spawn(
      process.execPath,
      ['-r', join(root, 'tools/register.js'), join(root, 'apps', app, 'src/main.ts')],
      {
        stdio: 'inherit',
        env: process.env,
      },
    );
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
