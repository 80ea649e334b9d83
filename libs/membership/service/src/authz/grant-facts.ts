import { invalid, type GrantCheck, type GrantFacts, type GrantFactsPayload } from '@accord/contracts';
import {
  CATALOG,
  evaluateMember,
  ownBillingAccount,
  type AccountState,
  type Member,
  type ActiveAccount,
} from '@accord/membership-domain';
import { expandGrant } from '@accord/membership-permissions';
import { fieldsOf, stringField, validUserId } from '../payloads';

/** Bounds one question: a token's or a share's permission list, with room to spare. */
export const MAX_GRANT_FACT_PERMISSIONS = 256;

/**
 * The facts another context decides its own rules on (SEC-10d), from the authorization
 * index's view of the account. `held[i]` is the evaluator's answer for `permissions[i]` within
 * `billingAccountId` when given, else within the member's own scope (a restricted member's own
 * billing account): "does this user hold it where they act", never "somewhere".
 */
export function grantFacts(account: AccountState | undefined, payload: GrantFactsPayload): GrantFacts {
  const permissions = payload.permissions ?? [];
  const member = account?.status === 'active' ? account.members.get(payload.userId) : undefined;
  // Only when true: the facts of an open account read as they always did.
  const closed = account?.status === 'active' && account.closed === true ? { accountClosed: true } : {};
  if (account?.status !== 'active' || !member) {
    return {
      ...closed,
      member: false,
      role: null,
      owner: false,
      rootOwner: false,
      scope: null,
      billingAccountIds: [],
      held: permissions.map(() => false),
      ...(payload.grant === undefined ? {} : { grant: grantCheck(undefined, payload.grant, undefined) }),
    };
  }
  const billingAccountId = payload.billingAccountId ?? ownBillingAccount(member);
  return {
    ...closed,
    member: true,
    role: member.role,
    owner: member.role === 'owner',
    rootOwner: member.userId === account.rootOwnerId,
    scope: member.scope,
    billingAccountIds: [...account.billingAccounts.keys()],
    held: permissions.map((permission) => evaluateMember(account, member, { permission, billingAccountId }).allowed),
    ...(payload.grant === undefined ? {} : { grant: grantCheck(account, payload.grant, member) }),
  };
}

/**
 * INV-26: what a share's permissions would give, validated and expanded by the rules of a PATCH
 * of a member (`expandGrant`), and whether the giver holds each expanded one themselves (never
 * more than the sharer can grant). A stranger holds none.
 */
function grantCheck(
  account: ActiveAccount | undefined,
  grant: readonly string[],
  giver: Member | undefined,
): GrantCheck {
  const result = expandGrant(CATALOG, grant);
  if (!result.ok) return result;
  return {
    ok: true,
    permissions: result.permissions,
    held: result.permissions.map(
      (permission) =>
        account !== undefined &&
        giver !== undefined &&
        evaluateMember(account, giver, { permission, billingAccountId: ownBillingAccount(giver) }).allowed,
    ),
  };
}

/** A NATS payload can carry anything: rebuild the question from checked fields before reading. */
export function grantFactsPayload(payload: unknown): GrantFactsPayload {
  const p = fieldsOf(payload);
  const userId = validUserId(p['userId']);
  const accountId = stringField(p, 'accountId', 'account.id_invalid');
  const permissions = p['permissions'];
  if (
    permissions !== undefined &&
    (!Array.isArray(permissions) ||
      permissions.length > MAX_GRANT_FACT_PERMISSIONS ||
      !permissions.every((x) => typeof x === 'string'))
  ) {
    throw invalid('permissions', 'permissions.invalid', `At most ${MAX_GRANT_FACT_PERMISSIONS} permission strings.`);
  }
  const grant = p['grant'];
  if (
    grant !== undefined &&
    (!Array.isArray(grant) || grant.length > MAX_GRANT_FACT_PERMISSIONS || !grant.every((x) => typeof x === 'string'))
  ) {
    throw invalid(
      'permissions',
      'permission.not_grantable',
      `At most ${MAX_GRANT_FACT_PERMISSIONS} permission strings.`,
    );
  }
  const billingAccountId = p['billingAccountId'];
  if (billingAccountId !== undefined && typeof billingAccountId !== 'string') {
    throw invalid('billingAccountId', 'billing_account.id_invalid', 'A billing account id is a string.');
  }
  return {
    accountId,
    userId,
    ...(permissions !== undefined ? { permissions: permissions as string[] } : {}),
    ...(billingAccountId !== undefined ? { billingAccountId } : {}),
    ...(grant !== undefined ? { grant: grant as string[] } : {}),
  };
}
