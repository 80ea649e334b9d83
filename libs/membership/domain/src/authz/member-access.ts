import type { MemberAccessView, SupportAccessLevel } from '@accord/contracts';
import type { ActiveAccount, Member } from '../account';
import { CATALOG } from './catalog';
import { evaluateMember, ownBillingAccount } from './evaluate-member';

/**
 * AUTHZ-15: per section, what support may do for this member — management
 * (all but deletion), read only (nothing without the primary account's approval) or none. A
 * restricted member is looked at within their own billing account.
 */
export function memberAccess(account: ActiveAccount, member: Member): MemberAccessView {
  // Keys are catalog sections, never input; the view is a plain object for the wire.
  const levels: Record<string, SupportAccessLevel> = {};
  // Every section support may be asked about: all but the owner-only and available-to-all ones.
  const sections = CATALOG.sections.filter(
    (s) => !CATALOG.ownerOnly.includes(s) && !CATALOG.availableToAll.includes(s),
  );
  const billingAccountId = ownBillingAccount(member);
  for (const section of sections) {
    const can = (level: string) =>
      evaluateMember(account, member, { permission: `${section}:${level}`, billingAccountId }).allowed;
    levels[section] = can('manage') ? 'management' : can('read') ? 'read only' : 'none';
  }
  // INV-29: support sees until when the member holds this access.
  const accessExpiresAt = member.accessExpiresAt ?? null;
  return { userId: member.userId, role: member.role, sections: levels, accessExpiresAt };
}
