import type { NotificationKind } from '@accord/contracts';
import type { MailContext } from '@accord/notification-domain';

export type { MailContext } from '@accord/notification-domain';

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Everything user-typed goes through this before it reaches HTML (the inviter's message above all). */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const paragraphs = (lines: readonly string[]) => lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n');

export function render(kind: NotificationKind, c: MailContext): RenderedMail {
  switch (kind) {
    case 'invitation':
    case 'invitation_resent': {
      const intro = `${c.inviterEmail ?? 'The account owner'} invited you to ${c.accountName} as ${c.role}.`;
      const lines = [
        intro,
        ...(kind === 'invitation_resent' ? ['This is a new link; the one sent before no longer works.'] : []),
        ...(c.message ? [`Their message: ${c.message}`] : []),
        `The invitation is valid until ${c.expiresAt}. Sign in with this e-mail address to accept it.`,
      ];
      return {
        subject: `${kind === 'invitation_resent' ? '(Resent) ' : ''}Invitation to ${c.accountName}`,
        text: [...lines, '', `View and accept: ${c.link}`].join('\n'),
        html: `${paragraphs(lines)}\n<p><a href="${escapeHtml(c.link ?? '')}">View and accept the invitation</a></p>`,
      };
    }
    case 'member_removed': {
      if (c.accountClosed) {
        // MEM-23: the account itself is gone, not only this person's place in it.
        const closed = [
          `${c.accountName} was closed by its owner, so you are no longer a member of it.`,
          'Nothing there can be reached any more, and its invitations and API tokens no longer work.',
        ];
        return { subject: `${c.accountName} was closed`, text: closed.join('\n'), html: paragraphs(closed) };
      }
      const lines = [
        `You were removed from ${c.accountName}.`,
        // INV-28, INV-29: say why when the removal was the end of their access.
        ...(c.accessEnded === 'revoked' ? ['The access you joined through was revoked by an owner.'] : []),
        ...(c.accessEnded === 'expired'
          ? ['The access you joined through has expired: it was granted for a limited time.']
          : []),
        'Environments you created there stay with the account; you can no longer reach them.',
      ];
      return { subject: `You were removed from ${c.accountName}`, text: lines.join('\n'), html: paragraphs(lines) };
    }
    case 'member_left': {
      const lines = [`${c.memberEmail} left ${c.accountName}.`, 'Environments they created stay with the account.'];
      return { subject: `${c.memberEmail} left ${c.accountName}`, text: lines.join('\n'), html: paragraphs(lines) };
    }
    case 'role_changed': {
      const lines = [`Your role in ${c.accountName} changed from ${c.previousRole} to ${c.role}.`];
      return { subject: `Your role in ${c.accountName} changed`, text: lines.join('\n'), html: paragraphs(lines) };
    }
  }
}
