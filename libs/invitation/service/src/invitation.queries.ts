import { Inject, Injectable } from '@nestjs/common';
import {
  normalizeEmail,
  pageOf,
  streams,
  type InviteeView,
  type Page,
  type PageKeyKind,
  type PageRequest,
  type InvitationSettingsView,
  type AccessRecipientView,
  type AccessGrantView,
  type AccessView,
  type InvitationLinkView,
  type InvitationOfferView,
  type InvitationStatus,
  type MyInvitationView,
  type RecipientEndReason,
  type Role,
  type Scope,
} from '@accord/contracts';
import { foldStream, type EventStore, type SqlClient } from '@accord/eventstore';
import { accessDecider } from '@accord/invitation-domain';
import { EVENT_STORE, SQL_CLIENT, instantKey } from '@accord/service-kit';

/** The sort keys of the invitation lists, as `pageRequestOf` checks a payload's `after`. */
export const INVITATION_LIST_KEYS = {
  accesses: ['instant', 'uuid'],
  invitees: ['instant', 'uuid'],
  invitationsForEmail: ['instant', 'uuid'],
} as const satisfies Record<string, readonly PageKeyKind[]>;

/** The invitee list's filters (already checked). */
export interface InviteeFilter {
  readonly role?: string;
  readonly q?: string;
}

interface AccessRow {
  access_id: string;
  account_id: string;
  name: string;
  type: AccessView['type'];
  scope: Scope;
  role: Role;
  message: string | null;
  shared_by: string;
  shared_at: Date | string;
  inviter_email: string | null;
  status: AccessView['status'];
  access_expires_at: Date | string | null;
  access_ended_at: Date | string | null;
  permissions: string[];
  may_create_environments: boolean;
}
interface InvitationRow {
  invitation_id: string;
  access_id: string;
  account_id: string;
  email: string;
  status: InvitationStatus;
  expires_at: Date | string;
  ended_at: Date | string | null;
  ended_reason: RecipientEndReason | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** Queries over the invitation read model. Callers wait for `minPosition` before asking. */
@Injectable()
export class InvitationQueries {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /**
   * The account's invitation settings: the newest `InvitationSettingsChanged` of its access stream
   * (one indexed row, not the whole stream), folded by the Access decider, which owns the default.
   */
  async settings(accountId: string): Promise<InvitationSettingsView> {
    const latest = await this.store.readEvents({
      streamId: streams.access(accountId),
      types: ['InvitationSettingsChanged'],
      direction: 'backward',
      limit: 1,
    });
    return { accountId, expiryHours: foldStream(accessDecider, latest).expiryHours };
  }

  // Lists are keyset pages over an immutable, unique sort key (when shared, then the id): a page
  // asks for the rows after the last key it showed, so rows shared between two fetches never shift
  // a later page (a newer access sorts after every earlier one). A row whose status changes between
  // pages is shown as it is when its page is read.

  /** The sharer's "Shared Accesses" list (INV-5), each recipient with its status and how it ended (INV-24). */
  async accessesOfAccount(accountId: string, page: PageRequest): Promise<Page<AccessView>> {
    const [at, id] = page.after ?? [null, null];
    const accesses = await this.sql.query<AccessRow & { k: string }>(
      `SELECT *, ${instantKey('shared_at')} AS k FROM invitation_accesses
        WHERE account_id = $1 AND ($2::timestamptz IS NULL OR (shared_at, access_id) > ($2::timestamptz, $3::uuid))
        ORDER BY shared_at, access_id LIMIT $4`,
      [accountId, at, id, page.limit + 1],
    );
    const shown = accesses.rows.slice(0, page.limit).map((a) => a.access_id);
    const invitations = await this.sql.query<InvitationRow>(
      `SELECT invitation_id, access_id, email, status, expires_at, ended_at, ended_reason
         FROM invitation_invitations WHERE access_id = ANY($1::uuid[]) ORDER BY position`,
      [shown],
    );
    return pageOf(
      accesses.rows,
      page.limit,
      (a) => [a.k, a.access_id],
      (a) =>
        accessView(
          a,
          invitations.rows.filter((i) => i.access_id === a.access_id),
        ),
    );
  }

  /**
   * The account's pending invitations, as the member list shows its invitees: oldest share first,
   * filtered by role and e-mail prefix like the members.
   */
  async inviteesOfAccount(
    accountId: string,
    page: PageRequest,
    filter: InviteeFilter = {},
  ): Promise<Page<InviteeView>> {
    const [at, id] = page.after ?? [null, null];
    // starts_with, not LIKE: a `%` or `_` the caller types is a character to match, not a wildcard.
    const { rows } = await this.sql.query<InvitationRow & AccessRow & { k: string }>(
      `SELECT i.invitation_id, i.email, i.expires_at, a.role, a.scope, ${instantKey('a.shared_at')} AS k
         FROM invitation_invitations i JOIN invitation_accesses a USING (access_id)
        WHERE i.account_id = $1 AND i.status = 'pending'
          AND ($2::text IS NULL OR a.role = $2)
          AND ($3::text IS NULL OR starts_with(lower(i.email), lower($3)))
          AND ($4::timestamptz IS NULL OR (a.shared_at, i.invitation_id) > ($4::timestamptz, $5::uuid))
        ORDER BY a.shared_at, i.invitation_id LIMIT $6`,
      [accountId, filter.role ?? null, filter.q ?? null, at, id, page.limit + 1],
    );
    return pageOf(
      rows,
      page.limit,
      (r) => [r.k, r.invitation_id],
      (r) => ({
        email: r.email,
        role: r.role,
        scope: r.scope,
        status: 'invited' as const,
        invitationId: r.invitation_id,
        expiresAt: iso(r.expires_at),
      }),
    );
  }

  /** One access of the account, as its list shows it (INV-5, INV-24); null when the account has none such. */
  async access(accountId: string, accessId: string): Promise<AccessView | null> {
    const accesses = await this.sql.query<AccessRow>(
      `SELECT * FROM invitation_accesses WHERE account_id = $1 AND access_id = $2`,
      [accountId, accessId],
    );
    const access = accesses.rows[0];
    if (!access) return null;
    const invitations = await this.sql.query<InvitationRow>(
      `SELECT invitation_id, access_id, email, status, expires_at, ended_at, ended_reason
         FROM invitation_invitations WHERE access_id = $1 ORDER BY position`,
      [accessId],
    );
    return accessView(access, invitations.rows);
  }

  /**
   * Invitations addressed to an e-mail, for its (verified) owner: the account's name, the
   * inviter's e-mail, role, scope, message and expiry (INV-25). Never the access name (INV-4).
   * Newest first: the keyset runs backwards (rows shared after the first page was read come
   * before the cursor and are not shown until the list is read again from the start).
   */
  async invitationsForEmail(
    email: string,
    page: PageRequest,
    status?: InvitationStatus,
  ): Promise<Page<MyInvitationView>> {
    const [at, id] = page.after ?? [null, null];
    const { rows } = await this.sql.query<InvitationRow & AccessRow & { account_name: string | null; k: string }>(
      `SELECT i.invitation_id, i.status, i.expires_at, a.account_id, a.role, a.scope, a.message, a.inviter_email,
              a.permissions, a.may_create_environments, n.name AS account_name, ${instantKey('a.shared_at')} AS k
         FROM invitation_invitations i
         JOIN invitation_accesses a USING (access_id)
         LEFT JOIN invitation_account_names n ON n.account_id = a.account_id
        WHERE i.email_normalized = $1 AND ($2::text IS NULL OR i.status = $2)
          AND ($3::timestamptz IS NULL OR (a.shared_at, i.invitation_id) < ($3::timestamptz, $4::uuid))
        ORDER BY a.shared_at DESC, i.invitation_id DESC LIMIT $5`,
      [normalizeEmail(email), status ?? null, at, id, page.limit + 1],
    );
    return pageOf(
      rows,
      page.limit,
      (r) => [r.k, r.invitation_id],
      (r) => ({ id: r.invitation_id, status: r.status, ...offerOf(r) }),
    );
  }

  /** Which account's stream holds an invitation (null when unknown). */
  async accountOfInvitation(invitationId: string): Promise<string | null> {
    const { rows } = await this.sql.query<{ account_id: string }>(
      `SELECT account_id FROM invitation_invitations WHERE invitation_id = $1`,
      [invitationId],
    );
    return rows[0]?.account_id ?? null;
  }

  /** The invitation whose current link has this token hash, with what its page shows. */
  async byTokenHash(tokenHash: string): Promise<(InvitationLinkView & { status: InvitationStatus }) | null> {
    const { rows } = await this.sql.query<InvitationRow & AccessRow & { account_name: string | null }>(
      `SELECT i.invitation_id, i.account_id, i.status, i.expires_at, a.role, a.scope, a.message, a.inviter_email,
              a.permissions, a.may_create_environments, n.name AS account_name
         FROM invitation_invitations i
         JOIN invitation_accesses a USING (access_id)
         LEFT JOIN invitation_account_names n ON n.account_id = i.account_id
        WHERE i.token_hash = $1`,
      [tokenHash],
    );
    const r = rows[0];
    if (!r) return null;
    return { invitationId: r.invitation_id, status: r.status, ...offerOf(r) };
  }

  /** E-mails of the account's current members (inviting one is refused). */
  async memberEmails(accountId: string): Promise<string[]> {
    const { rows } = await this.sql.query<{ email: string }>(
      `SELECT email FROM invitation_members WHERE account_id = $1`,
      [accountId],
    );
    return rows.map((r) => r.email);
  }

  /** Pending invitations whose expiry has passed, oldest first (the scheduler's work list). */
  async dueForExpiry(now: string, limit: number): Promise<Array<{ accountId: string; invitationId: string }>> {
    const { rows } = await this.sql.query<{ account_id: string; invitation_id: string }>(
      `SELECT account_id, invitation_id FROM invitation_invitations
        WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ accountId: r.account_id, invitationId: r.invitation_id }));
  }

  /** Live accesses whose end date has passed, earliest first (the expiry scheduler's work list, INV-29). */
  async accessesDueToEnd(now: string, limit: number): Promise<Array<{ accountId: string; accessId: string }>> {
    const { rows } = await this.sql.query<{ account_id: string; access_id: string }>(
      `SELECT account_id, access_id FROM invitation_accesses
        WHERE status = 'active' AND access_expires_at <= $1 ORDER BY access_expires_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ accountId: r.account_id, accessId: r.access_id }));
  }
}

/** A recipient row for the sharer: an accepted invitation whose membership ended reads `ended` (INV-24). */
function recipientView(i: InvitationRow): AccessRecipientView {
  const row = { email: i.email, invitationId: i.invitation_id, status: i.status, expiresAt: iso(i.expires_at) };
  if (i.status !== 'accepted' || i.ended_at === null) return row;
  return { ...row, status: 'ended', endedAt: iso(i.ended_at), endedReason: i.ended_reason ?? 'removed' };
}

/** What an invitee is offered (INV-25), from an invitation row joined with its access. */
function offerOf(r: InvitationRow & AccessRow & { account_name: string | null }): InvitationOfferView {
  return {
    accountId: r.account_id,
    accountName: r.account_name ?? '',
    inviterEmail: r.inviter_email,
    role: r.role,
    scope: r.scope,
    ...grantOf(r),
    message: r.message,
    expiresAt: iso(r.expires_at),
  };
}

/** What an access grants beside its role (INV-26, AUTHZ-16). */
function grantOf(a: Pick<AccessRow, 'permissions' | 'may_create_environments'>): AccessGrantView {
  return { permissions: a.permissions, mayCreateEnvironments: a.may_create_environments };
}

/** An access with its recipients (in the order they were named), as the sharer's list shows it. */
function accessView(a: AccessRow, recipients: readonly InvitationRow[]): AccessView {
  return {
    id: a.access_id,
    name: a.name,
    type: a.type,
    scope: a.scope,
    role: a.role,
    ...grantOf(a),
    sharedBy: a.shared_by,
    sharedAt: iso(a.shared_at),
    expiresAt: iso(recipients[0]?.expires_at ?? a.shared_at),
    recipients: recipients.map(recipientView),
    status: a.status,
    accessExpiresAt: a.access_expires_at === null ? null : iso(a.access_expires_at),
    endedAt: a.access_ended_at === null ? null : iso(a.access_ended_at),
  };
}
