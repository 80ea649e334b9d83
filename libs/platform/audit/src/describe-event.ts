import {
  asAccordEnvelope,
  exhaustive,
  type AccordEnvelope,
  type Actor,
  type ApiTokenRevocationReason,
  type EventEnvelope,
  type InvitationRevocationReason,
  type NotificationKind,
} from '@accord/contracts';
import type { AuditDirectory } from './audit-directory';

type Scope = { readonly type: 'global' } | { readonly type: 'restricted'; readonly billingAccountId: string };

/**
 * One sentence an account owner can read for an event: who did what to whom, people named by
 * e-mail when `directory` knows them (feed it the account's events first), else by user id. Never
 * holds a secret: no link, token or hash, only what identifies and explains.
 */
export function describeEvent(event: EventEnvelope, directory: AuditDirectory): string {
  const accord = asAccordEnvelope(event);
  const body = accord
    ? describeAccordEvent(accord, directory)
    : `${actorName(event.actor, directory)} recorded ${event.type}`;
  return `${body}${actorChannel(event.actor, directory)}`;
}

function describeAccordEvent(event: AccordEnvelope, directory: AuditDirectory): string {
  const actor = actorName(event.actor, directory);
  const who = (userId: string): string => directory.emailOf(userId) ?? userId;
  switch (event.type) {
    case 'AccountCreated':
      return `${actor} created the account "${event.data.name}" with ${event.data.rootOwner.email} as root owner`;
    case 'MemberJoined':
      return `${event.data.email} joined as ${event.data.role} on ${scopeText(event.data.scope)}`;
    case 'MemberRemoved':
      return `${actor} removed ${event.data.email} from the account`;
    case 'MemberLeft':
      return `${event.data.email} left the account`;
    case 'RoleChanged':
      return `${actor} changed ${event.data.email}'s role from ${event.data.from} to ${event.data.to}`;
    case 'MemberPermissionsChanged':
      return `${actor} set ${who(event.data.userId)}'s extra permissions to ${listText(event.data.permissions)}`;
    case 'MemberScopeChanged':
      return `${actor} set ${who(event.data.userId)}'s scope to ${scopeText(event.data.scope)}`;
    case 'MemberDisplayNameChanged':
      return event.data.displayName === null
        ? `${actor} cleared the display name of ${who(event.data.userId)}`
        : `${actor} named ${who(event.data.userId)} "${event.data.displayName}"`;
    case 'AccountDisplayNameChanged':
      return event.data.displayName === null
        ? `${who(event.data.userId)} cleared their own name for the account`
        : `${who(event.data.userId)} named the account "${event.data.displayName}" for themselves`;
    case 'EnvironmentCreationChanged':
      return event.data.mayCreateEnvironments
        ? `${actor} allowed ${who(event.data.userId)} to create environments`
        : `${actor} stopped ${who(event.data.userId)} from creating environments`;
    case 'OwnershipTransferred':
      return `${actor} transferred root ownership from ${who(event.data.from)} to ${who(event.data.to)}`;
    case 'BillingAccountCreated':
      return `${actor} created billing account "${event.data.name}" (${event.data.billingAccountId})`;
    case 'CustomRoleDefined':
      return `${actor} defined custom role ${event.data.name} with permissions ${listText(event.data.permissions)}`;
    case 'AccountRenamed':
      return `${actor} renamed the account to "${event.data.name}"`;
    case 'AccountClosed':
      return `${actor} closed the account "${event.data.name}": it takes no more changes`;
    case 'BillingAccountRenamed':
      return `${actor} renamed billing account ${event.data.billingAccountId} to "${event.data.name}"`;
    case 'BillingAccountDeleted':
      return `${actor} deleted billing account ${event.data.billingAccountId}`;
    case 'CustomRoleDeleted':
      return `${actor} deleted custom role ${event.data.name}`;
    case 'ImpersonatedReadRecorded':
      return `${who(event.data.impersonatorId)} read ${event.data.route} while impersonating ${who(event.data.userId)}`;
    case 'AccessShared': {
      const { type, role, scope, recipients } = event.data;
      const emails = recipients.map((recipient) => recipient.email).join(', ');
      return `${actor} shared access "${event.data.name}" (${type}, ${role} on ${scopeText(scope)}) with ${emails}`;
    }
    case 'InvitationAccepted':
      return `${event.data.email} accepted the invitation as ${event.data.role} on ${scopeText(event.data.scope)}`;
    case 'InvitationResent':
      return `${actor} resent the invitation to ${event.data.email}, now valid until ${event.data.expiresAt}`;
    case 'InvitationRevoked':
      return `${actor} revoked the invitation to ${event.data.email} (${INVITATION_REVOCATION[event.data.reason]})`;
    case 'InvitationDeclined':
      return `${event.data.email} declined the invitation`;
    case 'InvitationExpired':
      return `The invitation to ${event.data.email} expired at ${event.data.expiredAt}`;
    case 'InvitationSettingsChanged':
      return `${actor} set invitation links to expire after ${event.data.expiryHours} hours`;
    case 'AccessRecipientsAdded': {
      const emails = event.data.recipients.map((recipient) => recipient.email).join(', ');
      return `${actor} invited ${emails} to access ${event.data.accessId}`;
    }
    case 'AccessRenamed':
      return `${actor} renamed access ${event.data.accessId} to "${event.data.name}"`;
    case 'AccessRevoked':
      return `${actor} revoked access ${event.data.accessId}: the members who joined through it are removed`;
    case 'AccessExpired':
      return `Access ${event.data.accessId} ended at ${event.data.expiredAt}: the members who joined through it are removed`;
    case 'ApiTokenIssued':
      return `${actor} issued API token "${event.data.name}" (${event.data.tokenId}) for ${event.data.email}`;
    case 'ApiTokenRevoked':
      return `${actor} revoked API token ${event.data.tokenId} of ${who(event.data.userId)} (${TOKEN_REVOCATION[event.data.reason]})`;
    case 'ApiTokenRotated':
      return `${actor} rotated API token ${event.data.tokenId} of ${who(event.data.userId)}; the previous secret works until ${event.data.graceEndsAt}`;
    case 'TokenPolicyChanged':
      return event.data.maxLifetimeDays === null
        ? `${actor} removed the maximum API token lifetime`
        : `${actor} set the maximum API token lifetime to ${event.data.maxLifetimeDays} days`;
    case 'NotificationSent':
      return `Accord e-mailed ${event.data.to} ${NOTIFICATION_KIND[event.data.kind]} (attempt ${event.data.attempt})`;
    case 'NotificationFailed': {
      const retry = event.data.willRetry ? 'will retry' : 'gave up';
      return `Accord could not e-mail ${event.data.to} ${NOTIFICATION_KIND[event.data.kind]} (attempt ${event.data.attempt}, ${event.data.reason}; ${retry})`;
    }
    case 'WebhookEndpointRegistered':
      return `${actor} registered webhook endpoint ${event.data.url} (${event.data.endpointId}) for ${listText(event.data.eventTypes)}`;
    case 'WebhookEndpointDeleted':
      return `${actor} deleted webhook endpoint ${event.data.endpointId}`;
    case 'WebhookEndpointDisabled':
      return `Accord disabled webhook endpoint ${event.data.url} (${event.data.endpointId}): every delivery attempt failed since ${event.data.failingSince} (last: ${event.data.lastFailure})`;
    default:
      return exhaustive(event);
  }
}

const INVITATION_REVOCATION: Readonly<Record<InvitationRevocationReason, string>> = {
  revoked_by_owner: 'by an owner',
  inviter_removed: 'its sender was removed',
  inviter_lost_rights: 'its sender lost the right to invite',
  access_revoked: 'its access was revoked',
  access_expired: 'its access ended',
  account_closed: 'the account was closed',
  billing_account_deleted: 'its billing account was deleted',
};

const TOKEN_REVOCATION: Readonly<Record<ApiTokenRevocationReason, string>> = {
  revoked_by_user: 'by its user',
  revoked_by_owner: 'by an owner',
  member_removed: 'its user was removed',
  member_left: 'its user left',
  replaced: 'replaced by a newer token',
  account_closed: 'the account was closed',
};

const NOTIFICATION_KIND: Readonly<Record<NotificationKind, string>> = {
  invitation: 'an invitation',
  invitation_resent: 'a resent invitation',
  member_removed: 'a removal notice',
  member_left: 'a departure notice',
  role_changed: 'a role change notice',
};

function actorName(actor: Actor, directory: AuditDirectory): string {
  return actor.via === 'system' ? 'Accord' : (directory.emailOf(actor.userId) ?? actor.userId);
}

/** How the actor acted, when it was not plainly in person. */
function actorChannel(actor: Actor, directory: AuditDirectory): string {
  switch (actor.via) {
    case 'impersonation': {
      const impersonator = actor.impersonatorId ?? 'an unknown administrator';
      return ` (impersonated by ${directory.emailOf(impersonator) ?? impersonator})`;
    }
    case 'api_token':
      return ' with an API token';
    case 'delegation':
      return ' through a delegation';
    case 'session':
    case 'system':
      return '';
    default:
      return exhaustive(actor.via);
  }
}

function scopeText(scope: Scope): string {
  return scope.type === 'global' ? 'every billing account' : `billing account ${scope.billingAccountId} only`;
}

function listText(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}
