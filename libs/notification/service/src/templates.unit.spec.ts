import { escapeHtml, render } from './templates';

const invitation = {
  accountName: 'Acme',
  inviterEmail: 'olivia@example.com',
  role: 'administrator',
  message: '<script>alert(1)</script> & welcome',
  expiresAt: '2026-11-25T10:00:00.000Z',
  link: 'http://localhost:3000/#/invitations/inv_abc',
};

describe('e-mail templates', () => {
  it('an invitation names the account, the inviter, the role and the expiry, with the link in text and HTML', () => {
    const mail = render('invitation', invitation);
    for (const part of ['Acme', 'olivia@example.com', 'administrator', '2026-11-25T10:00:00.000Z'])
      expect(mail.text).toContain(part);
    expect(mail.text).toContain(invitation.link);
    expect(mail.html).toContain(`href="${invitation.link}"`);
  });

  it('the inviter’s message is escaped in HTML and kept readable in text', () => {
    const mail = render('invitation', invitation);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; welcome');
    expect(mail.text).toContain('<script>alert(1)</script> & welcome');
  });

  it('a resend says the old link is dead', () =>
    expect(render('invitation_resent', invitation).text).toContain('no longer works'));
  it('a removal by closing the account says the account was closed (MEM-23)', () => {
    const mail = render('member_removed', { accountName: 'Acme', accountClosed: true });
    expect(mail.subject).toBe('Acme was closed');
    expect(mail.text).toContain('Acme was closed by its owner');
  });
  it('removal tells the member their environments stay (seed 001)', () =>
    expect(render('member_removed', { accountName: 'Acme' }).text).toContain('stay with the account'));
  it('leaving names who left', () =>
    expect(render('member_left', { accountName: 'Acme', memberEmail: 'mike@example.com' }).subject).toBe(
      'mike@example.com left Acme',
    ));
  it('a role change names both roles', () =>
    expect(
      render('role_changed', { accountName: 'Acme', previousRole: 'administrator', role: 'accountant' }).text,
    ).toContain('from administrator to accountant'));
  it('escapes every HTML-significant character', () =>
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'));
});
