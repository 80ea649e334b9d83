import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The invitation links sent to one address, oldest first, from the `.eml` files the embedded profile
 * writes under DATA_DIR/mail when no SMTP server is set. Quoted-printable soft line breaks ("=" at a
 * line's end) are undone first: a long link may be wrapped.
 */
export function invitationLinksTo(dataDir: string, email: string): string[] {
  const dir = join(dataDir, 'mail');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8').replace(/\r/g, '').replace(/=\n/g, ''))
    .filter((mail) => new RegExp(`^To: .*${email.replace(/[.+]/g, '\\$&')}`, 'im').test(mail))
    .flatMap((mail) => {
      const m = /https?:\/\/[^\s"<>]*#\/invitations\/inv_[A-Za-z0-9_-]+/.exec(mail);
      return m ? [m[0]] : [];
    });
}

/**
 * The newest invitation link to `email` once it has been written (e-mails go out in the
 * background), with its origin replaced by the platform's: PUBLIC_URL names port 0 in the specs.
 */
export async function waitForInvitationLink(
  dataDir: string,
  email: string,
  origin: string,
  options: { readonly after?: number; readonly timeoutMs?: number } = {},
): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const links = invitationLinksTo(dataDir, email);
    if (links.length > (options.after ?? 0)) return withOrigin(links[links.length - 1]!, origin);
    if (Date.now() > deadline) throw new Error(`no invitation e-mail to ${email} within the time allowed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The same link on another origin (scheme, host and port). */
export function withOrigin(link: string, origin: string): string {
  const url = new URL(link);
  return `${origin}${url.pathname}${url.search}${url.hash}`;
}
