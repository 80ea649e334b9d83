import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { eventually } from '@accord/testing';
import { useBrowser } from '../testing/browser';
import { useEmbeddedPlatform } from '../testing/embedded-harness';

// The invitation e-mail's link opens the console's invitation page: an invitee sees what they are
// invited to before signing in, signs in with the invited address and accepts; a link that no
// longer works shows an informational page instead of an error.
describe('the invitation page an e-mailed link opens', () => {
  const e2e = useEmbeddedPlatform('console-invitation');
  const chrome = useBrowser();

  const devToken = async (email: string): Promise<string> =>
    (await e2e.call('POST', '/v1/dev/tokens', { body: { email } })).body.token as string;

  const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;

  /** An owner with a fresh account, sharing it with `email` (API calls: set-up, not the subject). */
  const share = async (email: string, accountName: string) => {
    const ownerEmail = unique('olivia');
    const owner = await devToken(ownerEmail);
    const account = await e2e.call('POST', '/v1/accounts', { token: owner, body: { name: accountName } });
    expect(account.status).toBe(201);
    const shared = await e2e.call('POST', `/v1/accounts/${account.body.id}/accesses`, {
      token: owner,
      body: {
        name: 'Ops team',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        recipients: [email],
        message: 'Welcome aboard, see you in the console',
      },
    });
    expect(shared.status).toBe(201);
    return {
      owner,
      ownerEmail,
      accountId: account.body.id as string,
      invitationId: shared.body.invitations[0].id as string,
    };
  };

  /** The console links of the e-mails sent to `email`, oldest first, on the running platform's origin. */
  const linksTo = (email: string): string[] => {
    const dir = join(e2e.dataDir, 'mail');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .sort()
      .map((f) =>
        readFileSync(join(dir, f), 'utf8')
          .replace(/=\r?\n/g, '')
          .replace(/=3D/g, '='),
      )
      .filter((m) => m.toLowerCase().includes(`to: ${email.toLowerCase()}`))
      .map((m) => {
        const link = /https?:\/\/[^\s"<>]*\/#\/invitations\/inv_[A-Za-z0-9_-]{43}/.exec(m)?.[0];
        if (!link) throw new Error('no console link in the invitation e-mail');
        // PUBLIC_URL names port 0 in specs: the fragment is what matters, on the platform's real origin.
        return `${e2e.platform.url}/${new URL(link).hash}`;
      });
  };

  const linkCount = (email: string, count: number) =>
    eventually(
      async () => linksTo(email),
      (links) => links.length >= count,
    );

  const signInOnThePage = async (page: Page, email: string) => {
    await page.getByRole('button', { name: 'Sign in to accept' }).click();
    await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  };

  it('shows the invitation signed out, then the invited person signs in, accepts and finds the account in Shared with me', async () => {
    const mike = unique('mike');
    const accountName = `Acme ${randomUUID().slice(0, 6)}`;
    const { ownerEmail } = await share(mike, accountName);
    const [link] = await linkCount(mike, 1);

    const context = await chrome.browser.newContext();
    const page = await context.newPage();
    await page.goto(link!);
    await page.getByRole('heading', { name: `Invitation to ${accountName}` }).waitFor();
    const details = page.locator('dl.details');
    for (const text of [accountName, ownerEmail, 'Administrator', 'Welcome aboard, see you in the console'])
      expect(await details.getByText(text, { exact: true }).count()).toBe(1);
    expect(await details.getByText('Valid until').count()).toBe(1);
    expect(await page.locator('dl.details time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    await signInOnThePage(page, mike);
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page
      .getByRole('status')
      .getByText(`You accepted the invitation to ${accountName} and joined it as Administrator`)
      .waitFor();
    await page.getByRole('link', { name: 'Go to your accounts' }).click();
    await page.getByRole('heading', { name: 'Shared with me' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: accountName });
    await row.waitFor();
    expect(await row.getByText(ownerEmail).count()).toBe(1);
    expect(await row.getByRole('link', { name: accountName }).getAttribute('href')).toMatch(/^#\/accounts\/.+\/users$/);
    await context.close();
  });

  it('signed in with another address, accepting says plainly that the invitation is for another e-mail', async () => {
    const ann = unique('ann');
    await share(ann, 'Other Co');
    const [link] = await linkCount(ann, 1);
    const context = await chrome.browser.newContext();
    const page = await context.newPage();
    await page.goto(link!);
    await signInOnThePage(page, unique('someone-else'));
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('This invitation is for another e-mail address').waitFor();
    expect(await alert.getByText('sent to another e-mail address').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBeGreaterThan(0);
    await context.close();
  });

  it('an outdated link (revoked, or replaced by a resend) shows an informational page; the new link works', async () => {
    const ben = unique('ben');
    const { owner, accountId, invitationId } = await share(ben, 'Resend Co');
    const [first] = await linkCount(ben, 1);
    const resent = await e2e.call('POST', `/v1/accounts/${accountId}/invitations/${invitationId}/resend`, {
      token: owner,
    });
    expect(resent.status).toBe(200);
    const [, second] = await linkCount(ben, 2);

    const context = await chrome.browser.newContext();
    const page = await context.newPage();
    await page.goto(first!);
    await page.getByRole('heading', { name: 'This invitation link can no longer be used' }).waitFor();
    expect(await page.getByText('send you a new invitation').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Sign in to Accord' }).count()).toBe(1);

    await page.goto(second!);
    await page.getByRole('heading', { name: 'Invitation to Resend Co' }).waitFor();

    const revoked = await e2e.call('DELETE', `/v1/accounts/${accountId}/invitations/${invitationId}`, {
      token: owner,
    });
    expect(revoked.status).toBe(200);
    await page.reload();
    await page.getByRole('heading', { name: 'This invitation link can no longer be used' }).waitFor();

    await page.goto(`${e2e.platform.url}/#/invitations/inv_unknown`);
    await page.getByRole('heading', { name: 'This invitation link can no longer be used' }).waitFor();
    await context.close();
  });
});
