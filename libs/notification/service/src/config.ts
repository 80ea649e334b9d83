import { ConfigError, linkKeyConfig, url } from '@accord/service-kit';
import type { NotificationServiceOptions } from './notification-options';

type Env = Readonly<Record<string, string | undefined>>;

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new ConfigError(name, `must be a positive whole number of milliseconds, got "${raw}"`);
  return value;
}

/** Services profile: SMTP_URL is required; PUBLIC_URL, MAIL_FROM and the retry knobs are optional. */
export function notificationConfig(env: Env = process.env): NotificationServiceOptions {
  if (!env['SMTP_URL'])
    throw new ConfigError('SMTP_URL', 'is required in the services profile (e.g. smtp://127.0.0.1:25)');
  return {
    linkKey: linkKeyConfig(env),
    publicUrl: url(env, 'PUBLIC_URL', 'http://localhost:3000', ['http:', 'https:']).replace(/\/$/, ''),
    mail: { smtpUrl: url(env, 'SMTP_URL', '', ['smtp:', 'smtps:']) },
    from: env['MAIL_FROM'] || 'Accord <no-reply@accord.local>',
    retry: {
      baseMs: positiveInt(env, 'NOTIFICATION_RETRY_BASE_MS', 1000),
      maxMs: positiveInt(env, 'NOTIFICATION_RETRY_MAX_MS', 300_000),
    },
  };
}
