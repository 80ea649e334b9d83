import type { BrowserContext, Page } from 'playwright-core';
import { blockingViolations, describeViolations } from '../testing/axe';
import { useBrowser } from '../testing/browser';
import { useEmbeddedPlatform } from '../testing/embedded-harness';
import { waitForInvitationLink } from '../testing/invitation-mail';

const OWNER = 'olivia@example.com';
const INVITEE = 'mike@example.com';
const LATE = 'zoe@example.com';

/** Narrow phones: the console must not scroll sideways (wide tables scroll inside `.table-wrap`). */
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

interface Screen {
  readonly name: string;
  /** Whose session the page has; null: signed out. */
  readonly as: 'owner' | 'invitee' | null;
  /** The URL's hash (or the whole link for the invitation pages). */
  readonly at: () => string;
  /** Shown once the screen has loaded. */
  readonly ready: (page: Page) => Promise<void>;
}

const heading = (name: string | RegExp) => async (page: Page) => {
  await page
    .getByRole('heading', { name, exact: typeof name === 'string' })
    .first()
    .waitFor();
};

// Every screen of the console, with data in it, checked with axe-core (no serious or critical
// violation) at desktop width and for sideways scrolling at 360 px.
describe('the console’s accessibility', () => {
  const e2e = useEmbeddedPlatform('console-a11y');
  const chrome = useBrowser();
  const sessions = new Map<'owner' | 'invitee', string>();
  let accountId = '';
  let link = '';
  let outdated = '';
  let context: BrowserContext;

  const as = async (email: string) =>
    (await e2e.call<{ token: string }>('POST', '/v1/dev/tokens', { body: { email } })).body.token;

  beforeAll(async () => {
    const owner = await as(OWNER);
    const invitee = await as(INVITEE);
    sessions.set('owner', owner);
    sessions.set('invitee', invitee);
    const created = await e2e.call<{ id: string }>('POST', '/v1/accounts', { token: owner, body: { name: 'Acme' } });
    accountId = created.body.id;
    const share = (recipients: string[], name: string) =>
      e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
        token: owner,
        body: {
          name,
          type: 'delegate',
          scope: { type: 'global' },
          role: 'administrator',
          recipients,
          message: 'Welcome to Acme.',
        },
      });
    expect((await share([INVITEE], 'Ops team')).status).toBe(201);
    link = await waitForInvitationLink(e2e.dataDir, INVITEE, e2e.platform.url);

    // A link replaced by a resend: the outdated-link page.
    const late = await share([LATE], 'Late joiner');
    outdated = await waitForInvitationLink(e2e.dataDir, LATE, e2e.platform.url);
    const invitationId = (late.body as { invitations: { id: string }[] }).invitations[0]!.id;
    await e2e.call('POST', `/v1/accounts/${accountId}/invitations/${invitationId}/resend`, { token: owner });
    await waitForInvitationLink(e2e.dataDir, LATE, e2e.platform.url, { after: 1 });

    await e2e.call('POST', `/v1/accounts/${accountId}/tokens`, {
      token: owner,
      body: { name: 'CI deploys', permissions: ['vps:read'] },
    });
    await e2e.call('POST', `/v1/accounts/${accountId}/roles`, {
      token: owner,
      body: { name: 'deployer', permissions: ['vps:manage', 'dns:read'] },
    });
    context = await chrome.browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await context?.close();
  });

  const account = (section: string) => () => `#/accounts/${accountId}/${section}`;

  const screens: Screen[] = [
    { name: 'sign-in', as: null, at: () => '#/accounts', ready: heading('Sign in to Accord') },
    {
      name: 'accounts',
      as: 'owner',
      at: () => '#/accounts',
      ready: async (page) => {
        await page.getByRole('link', { name: 'Acme' }).first().waitFor();
      },
    },
    {
      name: 'users',
      as: 'owner',
      at: account('users'),
      ready: async (page) => {
        await page.getByText('Awaiting confirmation').first().waitFor();
      },
    },
    {
      name: 'access sharing',
      as: 'owner',
      at: account('access'),
      ready: async (page) => {
        await page.getByText(INVITEE).first().waitFor();
      },
    },
    {
      name: 'API tokens',
      as: 'owner',
      at: account('tokens'),
      ready: async (page) => {
        await page.getByRole('cell', { name: 'CI deploys', exact: true }).waitFor();
      },
    },
    { name: 'roles', as: 'owner', at: account('roles'), ready: heading('Roles') },
    {
      name: 'audit log',
      as: 'owner',
      at: account('audit'),
      ready: async (page) => {
        await page.getByText('created the account').waitFor();
      },
    },
    { name: 'notifications', as: 'invitee', at: () => '#/notifications', ready: heading('Notifications') },
    {
      name: 'invitations',
      as: 'invitee',
      at: () => '#/invitations',
      ready: async (page) => {
        await page.getByRole('heading', { name: 'Invitation to Acme' }).first().waitFor();
      },
    },
    {
      name: 'the invitation page, signed out',
      as: null,
      at: () => new URL(link).hash,
      ready: heading('Invitation to Acme'),
    },
    {
      name: 'the outdated-link page',
      as: null,
      at: () => new URL(outdated).hash,
      ready: heading('This invitation link can no longer be used'),
    },
  ];

  /** A page on the screen, signed in through the platform's hand-off (`/#token=`) when it needs to. */
  async function open(screen: Screen): Promise<Page> {
    const page = await context.newPage();
    const token = screen.as ? sessions.get(screen.as) : undefined;
    if (token) {
      await page.goto(`${e2e.platform.url}/#token=${token}`);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    }
    await page.goto(`${e2e.platform.url}/${screen.at()}`);
    await screen.ready(page);
    await settled(page);
    return page;
  }

  /** No "Loading…" left on the page. */
  async function settled(page: Page) {
    await page.waitForFunction("!document.body.innerText.includes('Loading…')");
  }

  async function overflow(page: Page): Promise<{ scrollWidth: number; culprits: string[] }> {
    // Elements wider than the viewport outside a .table-wrap: what to fix when the page scrolls sideways.
    return page.evaluate(`(() => {
      const width = document.documentElement.clientWidth;
      const culprits = [...document.querySelectorAll('body *')]
        .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > width + 1)
        .slice(0, 5)
        .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).replace(/ /g, '.') : ''));
      return { scrollWidth: document.documentElement.scrollWidth, culprits };
    })()`);
  }

  it.each(screens.map((s) => [s.name, s] as const))('%s: no serious or critical axe violation', async (_n, screen) => {
    const page = await open(screen);
    try {
      const violations = await blockingViolations(page);
      expect(describeViolations(violations)).toBe('');
    } finally {
      await page.close();
    }
  });

  /** The page's heading levels in document order: an h1 first, then no level skipped on the way down. */
  async function expectHeadingOutline(page: Page) {
    const levels = await page.evaluate<number[]>(
      `[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1]))`,
    );
    expect(levels[0]).toBe(1);
    const skips = levels.filter((level, i) => i > 0 && level > levels[i - 1]! + 1);
    expect({ levels, skips }).toEqual({ levels, skips: [] });
  }

  // Screen readers jump by heading: each screen is titled by an h1, its parts by h2s and h3s, no level skipped.
  it.each(screens.map((s) => [s.name, s] as const))(
    '%s: an h1 titles it, no heading level skipped',
    async (_n, screen) => {
      const page = await open(screen);
      try {
        await expectHeadingOutline(page);
      } finally {
        await page.close();
      }
    },
  );

  it.each(screens.map((s) => [s.name, s] as const))('%s: no sideways scrolling at 360 px', async (_n, screen) => {
    const page = await open(screen);
    try {
      await page.setViewportSize(PHONE);
      const { scrollWidth, culprits } = await overflow(page);
      if (scrollWidth > PHONE.width + 1)
        throw new Error(`the page is ${scrollWidth} px wide at ${PHONE.width} px; too wide: ${culprits.join(', ')}`);
    } finally {
      await page.close();
    }
  });

  it('dialogs and the token secret: no serious or critical axe violation', async () => {
    const users = await open(screens.find((s) => s.name === 'users')!);
    await users.getByRole('button', { name: 'Add user' }).click();
    await users.getByRole('dialog', { name: 'Add user' }).waitFor();
    expect(describeViolations(await blockingViolations(users))).toBe('');
    await users.close();

    const tokens = await open(screens.find((s) => s.name === 'API tokens')!);
    await tokens.getByRole('textbox', { name: 'Name' }).fill('Checked by axe');
    await tokens.getByRole('radio', { name: 'Only the ones I choose' }).check();
    await tokens.getByRole('checkbox', { name: 'vps:manage' }).check();
    await tokens.getByRole('button', { name: 'Create token' }).click();
    await tokens.getByRole('textbox', { name: 'Token secret' }).waitFor();
    expect(describeViolations(await blockingViolations(tokens))).toBe('');
    await expectHeadingOutline(tokens);
    await tokens.getByRole('button', { name: 'Revoke CI deploys' }).click();
    await tokens.getByRole('dialog').waitFor();
    expect(describeViolations(await blockingViolations(tokens))).toBe('');
    await tokens.close();
  });

  it('the check itself finds what it looks for (a button without a name is critical)', async () => {
    const page = await open(screens[0]!);
    await page.evaluate("document.querySelector('main').append(document.createElement('button'))");
    expect((await blockingViolations(page)).map((v) => v.id)).toContain('button-name');
    await page.close();
  });
});
