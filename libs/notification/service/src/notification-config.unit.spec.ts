import { backoffMs, notificationConfig } from './index';

const key = 'k'.repeat(32);
const env = (extra: Record<string, string> = {}) => ({
  INVITATION_LINK_KEY: key,
  SMTP_URL: 'smtp://127.0.0.1:2525',
  ...extra,
});

describe('retry schedule', () => {
  it('doubles from the base: 1 s, 2 s, 4 s, 8 s …', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, 1000, 300_000))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('is capped at the maximum (5 min by default), however many attempts', () => {
    expect(backoffMs(9, 1000, 300_000)).toBe(256_000);
    expect(backoffMs(10, 1000, 300_000)).toBe(300_000);
    expect(backoffMs(10_000, 1000, 300_000)).toBe(300_000);
  });
});

describe('notificationConfig (services profile)', () => {
  it('defaults: PUBLIC_URL http://localhost:3000, MAIL_FROM Accord <no-reply@accord.local>, retry 1 s … 5 min', () => {
    expect(notificationConfig(env())).toEqual({
      linkKey: key,
      publicUrl: 'http://localhost:3000',
      mail: { smtpUrl: 'smtp://127.0.0.1:2525' },
      from: 'Accord <no-reply@accord.local>',
      retry: { baseMs: 1000, maxMs: 300_000 },
    });
  });

  it('takes PUBLIC_URL without its trailing slash, MAIL_FROM and the retry knobs', () => {
    const config = notificationConfig(
      env({
        PUBLIC_URL: 'https://accord.example.com/',
        MAIL_FROM: 'Ops <ops@example.com>',
        NOTIFICATION_RETRY_BASE_MS: '50',
        NOTIFICATION_RETRY_MAX_MS: '400',
      }),
    );
    expect(config).toMatchObject({
      publicUrl: 'https://accord.example.com',
      from: 'Ops <ops@example.com>',
      retry: { baseMs: 50, maxMs: 400 },
    });
  });

  it.each([
    ['SMTP_URL', { SMTP_URL: '' }],
    ['SMTP_URL', { SMTP_URL: 'http://mail.example.com' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://x' }],
    ['NOTIFICATION_RETRY_BASE_MS', { NOTIFICATION_RETRY_BASE_MS: '-1' }],
    ['NOTIFICATION_RETRY_MAX_MS', { NOTIFICATION_RETRY_MAX_MS: 'soon' }],
  ])('a bad %s stops start-up naming it', (name, extra) => {
    expect(() => notificationConfig(env(extra))).toThrow(name);
  });

  it('a missing or short INVITATION_LINK_KEY stops start-up naming it', () => {
    expect(() => notificationConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' })).toThrow('INVITATION_LINK_KEY');
    expect(() => notificationConfig(env({ INVITATION_LINK_KEY: 'short' }))).toThrow('INVITATION_LINK_KEY');
  });
});
