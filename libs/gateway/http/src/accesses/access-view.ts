import type { AccessRecipientView, AccessView } from '@accord/contracts';

/** An access as an owner sees it over HTTP: `name` is null unless they shared it (INV-4). */
export type AccessSeenView = Omit<AccessView, 'name'> & { readonly name: string | null };

/**
 * An access, field by field, as `userId` may see it: the name is the sharer's own label (INV-4),
 * so another owner gets null; each recipient row as the sharer's list shows it (INV-24).
 */
export function accessSeenBy(view: AccessView, userId: string): AccessSeenView {
  return {
    id: view.id,
    name: view.sharedBy === userId ? view.name : null,
    type: view.type,
    scope: view.scope,
    role: view.role,
    permissions: view.permissions,
    mayCreateEnvironments: view.mayCreateEnvironments,
    sharedBy: view.sharedBy,
    sharedAt: view.sharedAt,
    expiresAt: view.expiresAt,
    recipients: view.recipients.map(recipient),
    status: view.status,
    accessExpiresAt: view.accessExpiresAt,
    endedAt: view.endedAt,
  };
}

/** `endedAt` and `endedReason` only on an ended row: the other rows keep their shape. */
function recipient(r: AccessRecipientView): AccessRecipientView {
  const row = { email: r.email, invitationId: r.invitationId, status: r.status, expiresAt: r.expiresAt };
  return r.status === 'ended' ? { ...row, endedAt: r.endedAt, endedReason: r.endedReason } : row;
}
