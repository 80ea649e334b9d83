import type { MemberAccessView, SupportAccessLevel } from '@accord/contracts';
import type { ActiveAccount, Member } from '@accord/membership-domain';
import { CATALOG } from '../grants';
import { evaluateMember } from './evaluate-member';

/**
 * Seed 003 "Contacting Support": per section, what support may do for this member — management
 * (all but deletion), read only (nothing without the primary account's approval) or none.
 */
export function memberAccess(account: ActiveAccount, member: Member): MemberAccessView {
  const levels: Record<string, SupportAccessLevel> = {};
  // Every section support may be asked about: all but the owner-only and available-to-all ones.
  const sections = CATALOG.sections.filter((s) => !CATALOG.ownerOnly.includes(s) && !CATALOG.availableToAll.includes(s));
  for (const section of sections) {
    const can = (level: string) => evaluateMember(account, member, { userId: member.userId, accountId: account.accountId, permission: `${section}:${level}` }).allowed;
    levels[section] = can('manage') ? 'management' : can('read') ? 'read only' : 'none';
  }
  return { userId: member.userId, role: member.role, sections: levels };
}
