import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { useBrowser } from '../testing/browser';
import { useEmbeddedPlatform } from '../testing/embedded-harness';
import { invitationLinksTo, waitForInvitationLink } from '../testing/invitation-mail';

/** Committed screenshots for the README: rewritten on every run. */
const SCREENSHOTS = join(__dirname, '../../../../docs/screenshots');

const OWNER = 'olivia@example.com';
const INVITEE = 'mike@example.com';
const LATE = 'zoe@example.com';

// The product's flows in a browser, two people at once: the owner shares access from the Users
// screen, the invitee opens the link from the e-mail and accepts, the owner sees them attached,
// changes their role and removes them, and the member sees the account go. Then an outdated link
// and an API token whose secret is shown once. The tests run in order and build on each other.
describe('the console’s flows, owner and invitee side by side', () => {
  const e2e = useEmbeddedPlatform('console-flows');
  const chrome = useBrowser();
  let ownerContext: BrowserContext;
  let inviteeContext: BrowserContext;
  let owner: Page;
  let invitee: Page;
  let usersUrl: string;
  let link: string;

  beforeAll(async () => {
    ownerContext = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 } });
    inviteeContext = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await ownerContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.platform.url });
    // Shorter than a test's time, so a missing element fails naming its locator.
    ownerContext.setDefaultTimeout(10_000);
    inviteeContext.setDefaultTimeout(10_000);
    owner = await ownerContext.newPage();
    invitee = await inviteeContext.newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await ownerContext?.close();
    await inviteeContext?.close();
  });

  async function signIn(page: Page, email: string) {
    await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  it('the owner signs in and creates an account', async () => {
    await owner.goto(`${e2e.platform.url}/`);
    await signIn(owner, OWNER);
    await owner.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();
    await owner.getByRole('textbox', { name: 'Account name' }).fill('Acme');
    await owner.getByRole('button', { name: 'Create account' }).click();
    await owner.getByRole('link', { name: 'Acme' }).click();
    await owner.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    usersUrl = owner.url();
    expect(usersUrl).toMatch(/#\/accounts\/[^/]+\/users$/);
  });

  it('shares access with a message from the Users screen: the invitee awaits confirmation', async () => {
    await owner.getByRole('button', { name: 'Add user' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Add user' });
    await dialog.getByRole('textbox', { name: 'E-mail addresses' }).fill(INVITEE);
    await dialog.getByRole('combobox', { name: 'Role' }).selectOption('administrator');
    await dialog.getByRole('textbox', { name: 'Message (optional)' }).fill('Welcome to Acme, Mike.');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await owner
      .getByRole('status')
      .filter({ hasText: `Invitation sent to ${INVITEE}` })
      .waitFor();
    const row = owner.getByRole('row').filter({ hasText: INVITEE });
    await row.getByText('Awaiting confirmation').waitFor();
  });

  it('the invitee opens the e-mail’s link signed out, sees the invitation, signs in and accepts', async () => {
    link = await waitForInvitationLink(e2e.dataDir, INVITEE, e2e.platform.url);
    await invitee.goto(link);
    await invitee.getByRole('heading', { name: 'Invitation to Acme' }).waitFor();
    expect(await invitee.getByText('Welcome to Acme, Mike.').count()).toBe(1);
    // The link's expiry changes with every run: a neutral box keeps the committed picture stable.
    await invitee.screenshot({
      path: join(SCREENSHOTS, 'invitation.png'),
      mask: [invitee.locator('dl time')],
      maskColor: '#e5e7eb',
    });

    await invitee.getByRole('button', { name: 'Sign in to accept' }).click();
    await signIn(invitee, INVITEE);
    await invitee.getByRole('button', { name: 'Accept invitation' }).click();
    await invitee.getByText('You accepted the invitation to Acme', { exact: false }).waitFor();

    await invitee.goto(`${e2e.platform.url}/#/accounts`);
    const shared = invitee.getByRole('region', { name: 'Shared with me' });
    await shared.getByRole('link', { name: 'Acme' }).waitFor();
  });

  it('the owner sees the member attached and changes their role', async () => {
    await owner.goto(usersUrl);
    await owner.reload();
    const row = owner.getByRole('row').filter({ hasText: INVITEE });
    await row.getByText('Attached').waitFor();
    await owner.screenshot({ path: join(SCREENSHOTS, 'users.png') });

    await owner.getByRole('combobox', { name: `Role of ${INVITEE}` }).selectOption('accountant');
    await owner
      .getByRole('status')
      .filter({ hasText: `${INVITEE} is now` })
      .waitFor();
    expect(await owner.getByRole('combobox', { name: `Role of ${INVITEE}` }).inputValue()).toBe('accountant');
  });

  it('the owner removes the member; the member sees the account gone', async () => {
    await owner.getByRole('button', { name: `Remove ${INVITEE}` }).click();
    const dialog = owner.getByRole('dialog', { name: 'Remove user' });
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await owner
      .getByRole('status')
      .filter({ hasText: `${INVITEE} was removed` })
      .waitFor();
    expect(await owner.getByRole('row').filter({ hasText: INVITEE }).count()).toBe(0);

    const shared = invitee.getByRole('region', { name: 'Shared with me' });
    await invitee.reload();
    await shared
      .getByText(/No one has shared|Shared with me/)
      .first()
      .waitFor();
    expect(await shared.getByRole('link', { name: 'Acme' }).count()).toBe(0);
    // The account's own pages answer the former member with nothing of it.
    await invitee.goto(usersUrl);
    await invitee.getByRole('alert').first().waitFor();
    expect(await invitee.getByRole('cell', { name: OWNER }).count()).toBe(0);
  });

  it('a link replaced by a resend shows the informational page', async () => {
    await owner.getByRole('button', { name: 'Add user' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Add user' });
    await dialog.getByRole('textbox', { name: 'E-mail addresses' }).fill(LATE);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    const first = await waitForInvitationLink(e2e.dataDir, LATE, e2e.platform.url);
    await owner.getByRole('button', { name: `Resend invitation to ${LATE}` }).click();
    await waitForInvitationLink(e2e.dataDir, LATE, e2e.platform.url, { after: 1 });
    expect(invitationLinksTo(e2e.dataDir, LATE)).toHaveLength(2);

    const stranger = await chrome.browser.newContext();
    const page = await stranger.newPage();
    await page.goto(first);
    await page.getByRole('heading', { name: 'This invitation link can no longer be used' }).waitFor();
    await stranger.close();
  });

  it('creates an API token whose secret is shown once, and not again after a reload', async () => {
    await owner.goto(usersUrl.replace(/\/users$/, '/tokens'));
    await owner.getByRole('heading', { name: 'API tokens', exact: true }).waitFor();
    await owner.getByRole('textbox', { name: 'Name' }).fill('CI deploys');
    await owner.getByRole('radio', { name: 'Only the ones I choose' }).check();
    await owner.getByRole('checkbox', { name: 'vps:manage' }).check();
    await owner.getByRole('button', { name: 'Create token' }).click();

    const secret = owner.getByRole('textbox', { name: 'Token secret' });
    await secret.waitFor();
    const value = await secret.inputValue();
    expect(value).toMatch(/^acc_/);
    await owner.getByText('you will not see it again').waitFor();
    await owner.getByRole('button', { name: 'Copy' }).click();
    await owner.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await owner.evaluate('navigator.clipboard.readText()')).toBe(value);

    const row = owner.getByRole('row').filter({ hasText: 'CI deploys' });
    await row.getByText('vps:manage').waitFor();
    await row.getByText('Active').waitFor();

    // The secret works as a bearer token, with the permission it was given and no other.
    const accountId = /#\/accounts\/([^/]+)\//.exec(owner.url())![1]!;
    const session = (await e2e.call<{ token: string }>('POST', '/v1/dev/tokens', { body: { email: OWNER } })).body
      .token;
    const tokens = await e2e.call<{ items: { id: string; userId: string; name: string }[] }>(
      'GET',
      `/v1/accounts/${accountId}/tokens`,
      { token: session },
    );
    const issued = tokens.body.items.find((t) => t.name === 'CI deploys')!;
    const check = (permission: string) =>
      e2e.call<{ allowed: boolean }>('POST', '/v1/authz/check', {
        token: value,
        body: { userId: issued.userId, tokenId: issued.id, accountId, permission },
      });
    expect((await check('vps:manage')).body.allowed).toBe(true);
    expect((await check('dns:manage')).body.allowed).toBe(false);

    await owner.reload();
    await owner.getByRole('row').filter({ hasText: 'CI deploys' }).waitFor();
    expect(await owner.getByRole('textbox', { name: 'Token secret' }).count()).toBe(0);
    expect(await owner.content()).not.toContain(value);
  });

  it('revokes the token after a confirmation', async () => {
    await owner.getByRole('button', { name: 'Revoke CI deploys' }).click();
    const dialog = owner.getByRole('dialog', { name: /Revoke/ });
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await owner.getByRole('status').filter({ hasText: 'revoked' }).waitFor();
    await owner.getByRole('row').filter({ hasText: 'CI deploys' }).getByText('Revoked').waitFor();
  });

  it('the owner reads the audit log as sentences, filters it, and exports it signed', async () => {
    await owner.goto(usersUrl.replace(/\/users$/, '/audit'));
    const entries = owner.getByRole('list', { name: 'Audit log entries' });
    await entries.getByText(`${OWNER} created the account "Acme"`, { exact: false }).waitFor();
    await entries.getByText(`changed ${INVITEE}'s role`, { exact: false }).waitFor();

    await owner.getByRole('combobox', { name: 'Event' }).selectOption('RoleChanged');
    await owner.getByRole('button', { name: 'Apply filters' }).click();
    await owner.waitForFunction("document.querySelectorAll('ol.audit-entries li').length === 1");
    await entries.getByText('Role changed').waitFor();

    const download = owner.waitForEvent('download');
    await owner.getByRole('button', { name: 'Export' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^audit-.+\.jsonl$/);
    const path = await file.path();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type?: string });
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.some((l) => l.type === 'RoleChanged')).toBe(true);
    await owner.getByRole('status').filter({ hasText: 'Downloaded' }).waitFor();
  });
});
