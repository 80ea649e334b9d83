import { ApiProperty } from '@nestjs/swagger';
import {
  isListQuery,
  isPageKeyOf,
  isRoleFilter,
  MAX_LIST_QUERY,
  subjects,
  type InviteeView,
  type MemberView,
  type Page,
  type PageKey,
  type PageRequest,
  type Role,
  type Scope,
} from '@accord/contracts';
import { ScopeDto } from '../accesses/access.dto';
import type { Dispatcher } from '../dispatch/dispatcher';
import type { PagedList, RawQuery } from '../http/pagination';
import { singleQueryValue } from '../http/pagination';
import { invalidInput, type FieldError } from '../problem/gateway-error';

/** Whom the member list shows: members (the default), people invited and not yet answered, or both. */
export const MEMBER_LIST_STATUSES = ['active', 'invited', 'all'] as const;
export type MemberListStatus = (typeof MEMBER_LIST_STATUSES)[number];

/** A row of the member list: a member, or (with `status=invited|all`) someone invited. */
export type MemberListItem = MemberView | InviteeView;

/** The member list's filters, checked. */
export interface MemberListFilter {
  readonly status: MemberListStatus;
  readonly role?: string;
  readonly q?: string;
}

/** An invitee as the member list shows them (`status=invited|all`). */
export class InviteeViewDoc implements InviteeView {
  @ApiProperty({ format: 'email' }) readonly email!: string;
  @ApiProperty({ description: 'The role the invitation gives' }) readonly role!: Role;
  @ApiProperty({ type: ScopeDto }) readonly scope!: Scope;
  @ApiProperty({ enum: ['invited'], description: 'A pending invitation' }) readonly status!: 'invited';
  @ApiProperty({ format: 'uuid' }) readonly invitationId!: string;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
}

/** `status`, `role` and `q` of `GET …/members`; a 400 naming each field that is wrong. */
export function parseMemberListFilter(query: RawQuery): MemberListFilter {
  const errors: FieldError[] = [];
  const status = singleQueryValue(query, 'status', errors) ?? 'active';
  const role = singleQueryValue(query, 'role', errors);
  const q = singleQueryValue(query, 'q', errors);
  if (!isStatus(status)) errors.push({ field: 'status', message: 'status must be active, invited or all' });
  if (role !== undefined && !isRoleFilter(role))
    errors.push({ field: 'role', message: 'role must be a role name (lower-case letters, digits and dashes)' });
  if (q !== undefined && !isListQuery(q))
    errors.push({ field: 'q', message: `q must be 1 to ${MAX_LIST_QUERY} characters without control characters` });
  if (errors.length > 0) throw invalidInput(errors);
  return {
    status: status as MemberListStatus,
    ...(role !== undefined ? { role } : {}),
    ...(q !== undefined ? { q } : {}),
  };
}

function isStatus(value: string): value is MemberListStatus {
  return (MEMBER_LIST_STATUSES as readonly string[]).includes(value);
}

const MEMBER_KEY = ['instant', 'string'] as const;
const INVITEE_KEY = ['instant', 'uuid'] as const;

/**
 * The member list's cursors, one list per `status` (a cursor of one never continues another).
 * `all` walks the members first, then the invitees: its key names the part it is in — `m` and a
 * member's key, `i` and an invitee's key, or `i` alone for "the invitees from their first".
 */
export function memberList(query: RawQuery): PagedList {
  const status = query['status'];
  if (status === 'invited') return { name: 'members.invited', key: INVITEE_KEY };
  if (status === 'all') return { name: 'members.all', key: isAllKey };
  return { name: 'members', key: MEMBER_KEY };
}

function isAllKey(key: PageKey): boolean {
  const [part, ...rest] = key;
  if (part === 'm') return isPageKeyOf(rest, MEMBER_KEY);
  return part === 'i' && (rest.length === 0 || isPageKeyOf(rest, INVITEE_KEY));
}

/** One page of the member list, asked of the membership service, the invitation service, or both. */
export async function memberListPage(
  dispatcher: Dispatcher,
  accountId: string,
  page: PageRequest,
  filter: MemberListFilter,
  minPosition?: number,
): Promise<Page<MemberListItem>> {
  const { status, ...match } = filter;
  const members = (limit: number, after?: PageKey) =>
    dispatcher.query(
      subjects.membership.membersOfAccount,
      { accountId, limit, ...(after ? { after } : {}), ...match },
      minPosition,
    );
  const invitees = (limit: number, after?: PageKey) =>
    dispatcher.query(
      subjects.invitation.inviteesOfAccount,
      { accountId, limit, ...(after ? { after } : {}), ...match },
      minPosition,
    );
  if (status === 'active') return members(page.limit, page.after);
  if (status === 'invited') return invitees(page.limit, page.after);
  return bothParts(page, members, invitees);
}

type PartQuery<T> = (limit: number, after?: PageKey) => Promise<Page<T>>;

/**
 * `status=all`: members first, then invitees, each part a keyset of its own service, so each stays
 * stable under concurrent writes as its own list does. Someone who accepts an invitation while the
 * pages are read is shown at most once: as a member if the members part is still being read (they
 * joined after every member already listed), otherwise not at all until the list is read again.
 */
async function bothParts(
  page: PageRequest,
  members: PartQuery<MemberView>,
  invitees: PartQuery<InviteeView>,
): Promise<Page<MemberListItem>> {
  const [part, ...after] = page.after ?? ['m'];
  const items: MemberListItem[] = [];
  if (part === 'm') {
    const shown = await members(page.limit, after.length > 0 ? after : undefined);
    items.push(...shown.items);
    if (shown.nextAfter !== null) return { items, nextAfter: ['m', ...shown.nextAfter] };
  }
  const room = page.limit - items.length;
  if (room === 0) {
    // The members filled this page exactly: a next page only if there is an invitee to show.
    const probe = await invitees(1);
    return { items, nextAfter: probe.items.length > 0 ? ['i'] : null };
  }
  const shown = await invitees(room, part === 'i' && after.length > 0 ? after : undefined);
  items.push(...shown.items);
  return { items, nextAfter: shown.nextAfter === null ? null : ['i', ...shown.nextAfter] };
}
