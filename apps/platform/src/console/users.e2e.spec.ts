import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { useBrowser } from '../testing/browser';
import { useEmbeddedPlatform } from '../testing/embedded-harness';

// The Users screen as an owner uses it: add a user through the dialog (with a message and a
// permission), see them awaiting confirmation, see them attached once they accept, change their
// role with the drop-down and remove them; a bad e-mail shows the API's message by the field.
describe('the console’s Users screen', () => {
  const e2e = useEmbeddedPlatform('console-users');
  const chrome = useBrowser();

  const tokenOf = async (email: string): Promise<string> => {
    const res = await e2e.call<{ token: string }>('POST', '/v1/dev/tokens', { body: { email } });
    expect(res.status).toBe(201);
    return res.body.token;
  };

  /** Reloads until `done` holds: the read models follow the commands a moment later. */
  const eventually = async (page: Page, done: () => Promise<boolean>) => {
    for (let i = 0; i < 40; i++) {
      if (await done()) return;
      await new Promise((r) => setTimeout(r, 250));
      await page.reload();
      await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    }
    throw new Error('the screen never showed it');
  };

  it('an owner adds a user, sees them attached after they accept, changes their role and removes them', async () => {
    const olivia = await tokenOf('olivia@example.com');
    const created = await e2e.call<{ id: string }>('POST', '/v1/accounts', { token: olivia, body: { name: 'Acme' } });
    expect(created.status).toBe(201);
    const accountId = created.body.id;

    const context = await chrome.browser.newContext({ viewport: { width: 1000, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${e2e.platform.url}/`);
    await page.getByRole('textbox', { name: 'E-mail' }).fill('olivia@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();
    await page.goto(`${e2e.platform.url}/#/accounts/${accountId}/users`);
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'Root owner' }).waitFor();
    for (const header of ['E-mail', 'Name', 'Role', 'Status', 'Scope', 'Actions'])
      await page.getByRole('columnheader', { name: header }).waitFor();

    // A bad e-mail: the API's own message, next to the recipients field; the dialog stays open.
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.waitFor();
    const recipients = dialog.getByRole('textbox', { name: 'E-mail addresses' });
    await expectFocusInside(page, 'Add user');
    expect(await seriousAxeFindings(page)).toEqual([]);
    await recipients.fill('not-an-email');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await page.waitForFunction(`document.querySelector('[aria-invalid="true"]') !== null`);
    const apiAnswer = await e2e.call<{ errors: { field: string; message: string }[] }>(
      'POST',
      `/v1/accounts/${accountId}/accesses`,
      {
        token: olivia,
        body: {
          name: 'x',
          type: 'delegate',
          scope: { type: 'global' },
          role: 'administrator',
          recipients: ['not-an-email'],
        },
      },
    );
    expect(apiAnswer.status).toBe(400);
    const apiMessage = apiAnswer.body.errors.find((e) => e.field.startsWith('recipients'))!.message;
    expect(await recipients.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(page, recipients)).toContain(apiMessage);

    // The real one, with a message and a permission whose related sections are shown as it is chosen.
    await recipients.fill('ann@example.com');
    await dialog.getByRole('combobox', { name: 'Role' }).selectOption('administrator');
    await dialog.getByRole('checkbox', { name: 'Servers', exact: true }).check();
    await dialog.getByText('Servers (read only) also grants Cloud servers, SSH keys').waitFor();
    await dialog.getByRole('combobox', { name: 'Servers level', exact: true }).selectOption('manage');
    await dialog.getByText('Servers (management) also grants').waitFor();
    await dialog.getByRole('textbox', { name: 'Message (optional)' }).fill('Welcome to Acme, Ann.');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Focus goes back to the button that opened the dialog.
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Add user');
    const annRow = page.getByRole('row', { name: /ann@example\.com/ });
    await annRow.getByRole('cell', { name: 'Awaiting confirmation' }).waitFor();

    // Ann accepts (through the API); she sees the message, and joins with the permission she was given.
    const ann = await tokenOf('ann@example.com');
    const mine = await e2e.call<{ items: { id: string; message: string }[] }>('GET', '/v1/me/invitations', {
      token: ann,
    });
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ message: 'Welcome to Acme, Ann.' });
    expect((await e2e.call('POST', `/v1/invitations/${mine.body.items[0]!.id}/accept`, { token: ann })).status).toBe(
      200,
    );
    await eventually(page, async () => (await annRow.getByRole('cell', { name: 'Attached' }).count()) === 1);
    expect(await seriousAxeFindings(page)).toEqual([]);

    // The role drop-down.
    await annRow.getByRole('combobox', { name: 'Role of ann@example.com' }).selectOption('accountant');
    await page.getByRole('status').getByText('ann@example.com is now Accountant.').waitFor();
    const members = await e2e.call<{ items: { email: string; role: string; permissions: string[] }[] }>(
      'GET',
      `/v1/accounts/${accountId}/members`,
      { token: olivia },
    );
    const annAsMember = members.body.items.find((m) => m.email === 'ann@example.com');
    expect(annAsMember?.role).toBe('accountant');
    expect(annAsMember?.permissions).toEqual(expect.arrayContaining(['servers:manage', 'ssh-keys:manage']));

    // Remove, after a confirmation.
    await annRow.getByRole('button', { name: 'Remove ann@example.com' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove user' });
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await annRow.waitFor({ state: 'detached' });
    // The root owner has neither a remove button nor a role drop-down.
    const oliviaRow = page.getByRole('row', { name: /olivia@example\.com/ });
    expect(await oliviaRow.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expect(await oliviaRow.getByRole('combobox').count()).toBe(0);
    await context.close();
  });

  it('Esc closes a dialog without doing anything', async () => {
    const olivia = await tokenOf('olga@example.com');
    const created = await e2e.call<{ id: string }>('POST', '/v1/accounts', { token: olivia, body: { name: 'Beta' } });
    const context = await chrome.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${e2e.platform.url}/`);
    await page.getByRole('textbox', { name: 'E-mail' }).fill('olga@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();
    await page.goto(`${e2e.platform.url}/#/accounts/${created.body.id}/users`);
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('dialog', { name: 'Add user' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Add user' }).waitFor({ state: 'hidden' });
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Add user');
    await context.close();
  });

  it('access sharing and roles: share an access, define and delete a role, look a member up; no serious axe finding', async () => {
    const owner = await tokenOf('otto@example.com');
    const created = await e2e.call<{ id: string }>('POST', '/v1/accounts', { token: owner, body: { name: 'Gamma' } });
    const accountId = created.body.id;
    const context = await chrome.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${e2e.platform.url}/`);
    await page.getByRole('textbox', { name: 'E-mail' }).fill('otto@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();

    await page.goto(`${e2e.platform.url}/#/accounts/${accountId}/access`);
    await page.getByRole('heading', { name: 'Access sharing', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New access' }).click();
    const share = page.getByRole('dialog', { name: 'New access' });
    await share.getByRole('textbox', { name: 'Name' }).fill('Finance team');
    await share.getByRole('textbox', { name: 'Recipients' }).fill('fay@example.com, gus@example.com');
    await share.getByRole('combobox', { name: 'Role' }).selectOption('accountant');
    await share.getByRole('checkbox', { name: 'Domains', exact: true }).check();
    await share.getByText('Domains (read only) also grants Domain administrators').waitFor();
    expect(await seriousAxeFindings(page)).toEqual([]);
    await share.getByRole('button', { name: 'Share access' }).click();
    await share.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /Finance team/ });
    await row.getByText('fay@example.com: Pending').waitFor();
    await row.getByRole('cell', { name: 'Delegate access' }).waitFor();
    expect(await seriousAxeFindings(page)).toEqual([]);
    await row.getByRole('button', { name: 'Revoke Finance team' }).click();
    await page.getByRole('dialog', { name: 'Revoke access' }).getByRole('button', { name: 'Revoke access' }).click();
    await row.getByRole('cell', { name: 'Revoked', exact: true }).waitFor();

    await page.goto(`${e2e.platform.url}/#/accounts/${accountId}/roles`);
    await page.getByRole('heading', { name: 'Custom roles' }).waitFor();
    await page.getByRole('button', { name: 'Define role' }).click();
    const define = page.getByRole('dialog', { name: 'Define role' });
    await define.getByRole('textbox', { name: 'Role name' }).fill('dns-admin');
    await define.getByRole('checkbox', { name: 'DNS', exact: true }).check();
    await define.getByRole('combobox', { name: 'DNS level' }).selectOption('manage');
    await define.getByRole('button', { name: 'Define role' }).click();
    await define.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: 'DNS: management' }).waitFor();
    await page.getByRole('combobox', { name: 'Member' }).selectOption({ label: 'otto@example.com' });
    await page.getByRole('columnheader', { name: 'Section' }).waitFor();
    await page.getByRole('row', { name: /Servers Management/ }).waitFor();
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.getByRole('button', { name: 'Delete role dns-admin' }).click();
    await page.getByRole('dialog', { name: 'Delete role' }).getByRole('button', { name: 'Delete role' }).click();
    await page.getByText('The account has no custom roles.').waitFor();
    await context.close();
  });
});

async function expectFocusInside(page: Page, dialogName: string): Promise<void> {
  // A string: this spec compiles without the DOM's types; it runs in the page.
  const heading = await page.evaluate(`document.activeElement?.closest('dialog')?.querySelector('h2')?.textContent`);
  expect(heading).toBe(dialogName);
}

async function describedBy(page: Page, control: ReturnType<Page['getByRole']>): Promise<string> {
  const ids = (await control.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    ids
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  return texts.join(' ');
}

/** axe-core's serious and critical findings on the page as it is (the context bypasses the CSP to inject it). */
async function seriousAxeFindings(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: () => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}
