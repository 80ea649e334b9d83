/**
 * The accounts screen's rules, kept apart from React so they can be tested: which accounts are the
 * signed-in person's own and which are shared with them, and how a shared one is named.
 */

export type Scope = { readonly type: 'global' } | { readonly type: 'restricted'; readonly billingAccountId: string };

/** An account as `GET /v1/accounts` lists it, seen by the caller. */
export interface AccountView {
  readonly id: string;
  readonly name: string;
  /** The caller's role: built-in or the name of the account's custom role. */
  readonly role: string;
  /** The root owner's e-mail. */
  readonly ownerEmail: string;
  readonly isRootOwner: boolean;
  /** The caller's own name for the account, shown in their "Shared with me" list. */
  readonly displayName: string | null;
  readonly mayCreateEnvironments: boolean;
  readonly scope: Scope;
}

const sameEmail = (a: string | null, b: string | null) =>
  a !== null && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * "My accounts" are those the signed-in person is the root owner of (they created it, or its
 * ownership was handed to them); every other account is someone else's, shared with them.
 */
export function splitAccounts(
  accounts: readonly AccountView[],
  myEmail: string | null,
): { mine: AccountView[]; shared: AccountView[] } {
  const isMine = (a: AccountView) => a.isRootOwner || sameEmail(a.ownerEmail, myEmail);
  return { mine: accounts.filter(isMine), shared: accounts.filter((a) => !isMine(a)) };
}

/**
 * How a shared account is named in lists: the owner's e-mail with the member's own name for the
 * account in parentheses when they gave one ("olivia@example.com (Acme staging)").
 */
export function sharedAccountLabel(account: AccountView): string {
  const own = account.displayName?.trim();
  return own ? `${account.ownerEmail} (${own})` : account.ownerEmail;
}

/** The longest name the API takes for an account or a member's name for one (LIMITS.name). */
export const NAME_MAX = 100;

/**
 * The account-name check the API makes (trimmed, 1 to NAME_MAX characters), so the form can say it
 * before sending; the API's own message is still shown when it refuses.
 */
export function accountNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed.length === 0) return 'Enter a name for the account.';
  if (trimmed.length > NAME_MAX) return `The name can have at most ${NAME_MAX} characters.`;
  return undefined;
}
