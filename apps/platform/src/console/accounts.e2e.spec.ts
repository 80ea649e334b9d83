import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { useBrowser } from '../testing/browser';
import { useEmbeddedPlatform } from '../testing/embedded-harness';

// The Accounts screen, the console's home: the dashboard notice of a new share with Accept and
// Decline, then "Shared with me" — my own name for an account, and leaving it.
describe('the accounts screen', () => {
  const e2e = useEmbeddedPlatform('console-accounts');
  const chrome = useBrowser();

  const devToken = async (email: string): Promise<string> =>
    (await e2e.call('POST', '/v1/dev/tokens', { body: { email } })).body.token as string;

  /** An owner's fresh account shared with `email` (API calls: set-up, not the subject). */
  const shareWith = async (email: string, accountName: string) => {
    const owner = await devToken(`owner-${randomUUID().slice(0, 8)}@example.com`);
    const account = await e2e.call('POST', '/v1/accounts', { token: owner, body: { name: accountName } });
    const shared = await e2e.call('POST', `/v1/accounts/${account.body.id}/accesses`, {
      token: owner,
      body: { name: 'Team', type: 'delegate', scope: { type: 'global' }, role: 'accountant', recipients: [email] },
    });
    expect([account.status, shared.status]).toEqual([201, 201]);
  };

  const signIn = async (page: Page, email: string) => {
    await page.goto(`${e2e.platform.url}/`);
    await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();
  };

  it('a new share is a notice with Accept and Decline; accepted, the account is in Shared with me, named my way, and can be left', async () => {
    const mike = `mike-${randomUUID().slice(0, 8)}@example.com`;
    const suffix = randomUUID().slice(0, 6);
    const [kept, declined] = [`Kept ${suffix}`, `Declined ${suffix}`];
    await shareWith(mike, kept);
    await shareWith(mike, declined);
    const context = await chrome.browser.newContext();
    const page = await context.newPage();
    await signIn(page, mike);

    const notices = page.getByRole('region', { name: 'New shares' });
    await notices.getByRole('button', { name: `Decline the invitation to ${declined}` }).click();
    await page.getByRole('dialog', { name: `Decline the invitation to ${declined}?` }).waitFor();
    await page.getByRole('button', { name: 'Yes, decline' }).click();
    await notices.getByRole('button', { name: `Decline the invitation to ${declined}` }).waitFor({ state: 'detached' });

    await notices.getByRole('button', { name: `Accept the invitation to ${kept}` }).click();
    const shared = page.getByRole('region', { name: 'Shared with me' });
    const row = shared.getByRole('row').filter({ hasText: kept });
    await row.waitFor();
    expect(await row.getByText('Accountant').count()).toBe(1);
    expect(await page.getByText(declined).count()).toBe(0);

    await row.getByRole('button', { name: `Edit name for ${kept}` }).click();
    await page.getByRole('dialog', { name: `Your name for ${kept}` }).waitFor();
    await page.getByRole('textbox', { name: 'Display name' }).fill('Bookkeeping');
    await page.getByRole('button', { name: 'Save name' }).click();
    await row.getByText('Bookkeeping').waitFor();

    await row.getByRole('button', { name: `Leave ${kept}` }).click();
    await page.getByRole('button', { name: 'Yes, leave' }).click();
    await row.waitFor({ state: 'detached' });
    const mine = await e2e.call('GET', '/v1/accounts', { token: await devToken(mike) });
    expect(mine.body.items).toEqual([]);
    await context.close();
  });

  it('Notifications: Mark all as read empties the unread count in one go', async () => {
    const zoe = `zoe-${randomUUID().slice(0, 8)}@example.com`;
    await shareWith(zoe, `First ${randomUUID().slice(0, 6)}`);
    await shareWith(zoe, `Second ${randomUUID().slice(0, 6)}`);
    const context = await chrome.browser.newContext();
    const page = await context.newPage();
    await signIn(page, zoe);
    await page.goto(`${e2e.platform.url}/#/notifications`);
    await page.getByText('2 unread.').waitFor();
    await page.getByRole('link', { name: 'Notifications, 2 unread' }).waitFor();
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByText('Nothing unread.').waitFor();
    await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
    expect(await page.getByText('Unread', { exact: true }).count()).toBe(0);
    await page.reload();
    await page.getByText('Nothing unread.').waitFor();
    await context.close();
  });
});
