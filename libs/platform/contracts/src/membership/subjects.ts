/** Request/reply subjects of the membership service. */
export const membershipSubjects = {
  createAccount: 'accord.cmd.membership.create-account',
  addMember: 'accord.cmd.membership.add-member',
  changeMember: 'accord.cmd.membership.change-member',
  nameAccount: 'accord.cmd.membership.name-account',
  removeMember: 'accord.cmd.membership.remove-member',
  leaveAccount: 'accord.cmd.membership.leave-account',
  transferOwnership: 'accord.cmd.membership.transfer-ownership',
  createBillingAccount: 'accord.cmd.membership.create-billing-account',
  defineCustomRole: 'accord.cmd.membership.define-custom-role',
  // The lifecycles of the account, its billing accounts and custom roles (MEM-21 to MEM-27).
  renameAccount: 'accord.cmd.membership.rename-account',
  closeAccount: 'accord.cmd.membership.close-account',
  renameBillingAccount: 'accord.cmd.membership.rename-billing-account',
  deleteBillingAccount: 'accord.cmd.membership.delete-billing-account',
  deleteCustomRole: 'accord.cmd.membership.delete-custom-role',
  accountsOfUser: 'accord.query.membership.accounts-of-user',
  membersOfAccount: 'accord.query.membership.members-of-account',
  billingAccounts: 'accord.query.membership.billing-accounts',
  customRoles: 'accord.query.membership.custom-roles',
  memberAccess: 'accord.query.membership.member-access',
  /** Facts other services check their own rules against (services trust nothing they can check). */
  grantFacts: 'accord.query.membership.grant-facts',
  recordImpersonatedRead: 'accord.cmd.membership.record-impersonated-read',
  /** Whether a user held a permission at an instant, and through which events. */
  accessHistory: 'accord.query.membership.access-history',
  // The account owner's audit log.
  /** One page of an account's events, newest first, each described for people. */
  auditLog: 'accord.query.membership.audit-log',
  /** An account's raw events in global order, for the signed export the gateway builds. */
  auditEvents: 'accord.query.membership.audit-events',
  // One resource of an account, shaped as its list's item.
  accountOfUser: 'accord.query.membership.account-of-user',
  member: 'accord.query.membership.member',
  billingAccount: 'accord.query.membership.billing-account',
  customRole: 'accord.query.membership.custom-role',
  /** The permission catalog: sections, levels, combinations and the built-in roles, for clients. */
  permissionCatalog: 'accord.query.membership.permission-catalog',
} as const;

/** The authorization check, answered by the membership service from its in-memory index. */
export const authzSubjects = {
  check: 'accord.authz.check',
} as const;
