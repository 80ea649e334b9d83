import type { MemberAccessView, SupportAccessLevel } from '@accord/contracts';
import type { ActiveAccount, Member } from '@accord/membership-domain';
import { SERVICE_SECTIONS } from '@accord/permissions';
import { evaluateMember } from './evaluate-member';

/**
 * Seed 003 "Contacting Support": per section, what support may do for this member — management
 * (all but deletion), read only (nothing without the primary account's approval) or none.
 */
export function memberAccess(account: ActiveAccount, member: Member): MemberAccessView {
  const sections: Record<string, SupportAccessLevel> = {};
  for (const section of SERVICE_SECTIONS) {
    const can = (level: string) => evaluateMember(account, member, { userId: member.userId, accountId: account.accountId, permission: `${section}:${level}` }).allowed;
    sections[section] = can('manage') ? 'management' : can('read') ? 'read only' : 'none';
  }
  return { userId: member.userId, role: member.role, sections };
}
