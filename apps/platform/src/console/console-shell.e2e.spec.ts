import { useBrowser } from '../testing/browser';
import { useEmbeddedPlatform } from '../testing/embedded-harness';

// The console as `npm start` serves it: the page at `/` for a browser, the JSON index for API
// clients, and a sign-in that works with the embedded profile's dev tokens.
describe('the web console at /', () => {
  const e2e = useEmbeddedPlatform('console-shell');
  const chrome = useBrowser();

  it('a browser gets the console page with a strict Content-Security-Policy; an API client keeps the JSON index', async () => {
    const page = await fetch(`${e2e.platform.url}/`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const index = await e2e.call('GET', '/');
    expect(index.body).toMatchObject({ name: 'Accord', docs: '/docs' });
  });

  it('signs in with an e-mail (dev tokens) and shows the accounts screen; signing out returns to sign-in', async () => {
    const context = await chrome.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${e2e.platform.url}/`);
    await page.getByRole('textbox', { name: 'E-mail' }).fill('olivia@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();
    expect(await page.getByText('olivia@example.com').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Accord' }).waitFor();
    await context.close();
  });
});
