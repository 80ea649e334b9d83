import type { AccordEnvelope } from '@accord/contracts';
import type { ApiTokenCommand } from './api-token';

export type RevokeForMember = Extract<ApiTokenCommand, { type: 'RevokeForMember' }>;

/** A command for one token: the token's id names its stream. */
export interface TokenRevocation {
  readonly tokenId: string;
  readonly command: RevokeForMember;
}

/** The membership events that end a member's tokens. */
export type MemberGoneEvent = AccordEnvelope<'MemberRemoved' | 'MemberLeft'>;

/**
 * A token acts for its user inside one account, so it must not outlive the membership: when a
 * member is removed or leaves, each of their live tokens in that account is revoked, with the
 * reason and by whoever caused the event. `liveTokenIds` is the read fact: the user's tokens in
 * that account that are not revoked yet (as of the event).
 */
export function memberGone(event: MemberGoneEvent, liveTokenIds: readonly string[]): TokenRevocation[] {
  const reason = event.type === 'MemberRemoved' ? 'member_removed' : 'member_left';
  const data = { userId: event.data.userId, reason, by: event.actor.userId } as const;
  return liveTokenIds.map((tokenId) => ({ tokenId, command: { type: 'RevokeForMember', data } }));
}

/**
 * MEM-23: a closed account's tokens all end, whoever holds them (the root owner's too, who stays a
 * member of the closed account): each live one is revoked with reason `account_closed`, by the
 * root owner who closed it. `liveTokens` is the read fact: the account's tokens not revoked yet.
 */
export function accountClosed(
  event: AccordEnvelope<'AccountClosed'>,
  liveTokens: readonly { readonly tokenId: string; readonly userId: string }[],
): TokenRevocation[] {
  return liveTokens.map(({ tokenId, userId }) => ({
    tokenId,
    command: { type: 'RevokeForMember', data: { userId, reason: 'account_closed', by: event.data.closedBy } },
  }));
}
