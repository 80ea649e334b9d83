/**
 * The users list: members and people invited, their roles, statuses and scopes in the words the
 * product uses ("Awaiting confirmation" until an invitation is accepted, then "Attached").
 */
export type Scope = { readonly type: 'global' } | { readonly type: 'restricted'; readonly billingAccountId: string };

export interface Member {
  readonly userId: string;
  readonly email: string;
  readonly role: string;
  readonly status: 'active';
  readonly isRootOwner: boolean;
  readonly scope: Scope;
  readonly joinedAt: string;
  readonly displayName: string | null;
  readonly permissions: readonly string[];
  readonly mayCreateEnvironments: boolean;
}

export interface Invitee {
  readonly email: string;
  readonly role: string;
  readonly scope: Scope;
  readonly status: 'invited';
  readonly invitationId: string;
  readonly expiresAt: string;
}

export type Person = Member | Invitee;

export interface BillingAccount {
  readonly id: string;
  readonly name: string;
}

export interface CustomRole {
  readonly name: string;
  readonly permissions: readonly string[];
}

/** The built-in roles, in the order the role table lists them. */
export const BUILT_IN_ROLES = ['owner', 'administrator', 'accountant', 'read-only'] as const;

export function isMember(person: Person): person is Member {
  return person.status === 'active';
}

export function personStatusLabel(status: Person['status']): string {
  return status === 'invited' ? 'Awaiting confirmation' : 'Attached';
}

/** `read-only` → "Read-only", `owner` → "Owner"; a custom role keeps its own name. */
export function roleLabel(role: string): string {
  return (BUILT_IN_ROLES as readonly string[]).includes(role) ? role.charAt(0).toUpperCase() + role.slice(1) : role;
}

export interface RoleOption {
  readonly value: string;
  readonly label: string;
}

/**
 * The roles an owner may pick: the built-in ones, then the account's custom roles (marked), and the
 * current role if neither list has it (a role deleted since), so the drop-down never lies.
 */
export function roleOptions(customRoles: readonly { readonly name: string }[], current?: string): RoleOption[] {
  const options: RoleOption[] = BUILT_IN_ROLES.map((r) => ({ value: r, label: roleLabel(r) }));
  for (const role of customRoles)
    if (!options.some((o) => o.value === role.name)) options.push({ value: role.name, label: `${role.name} (custom)` });
  if (current && !options.some((o) => o.value === current)) options.push({ value: current, label: current });
  return options;
}

export function scopeLabel(scope: Scope, billingAccounts: readonly BillingAccount[]): string {
  if (scope.type === 'global') return 'Global';
  const billing = billingAccounts.find((b) => b.id === scope.billingAccountId);
  return billing ? billing.name : 'One billing account';
}

/**
 * E-mails as people paste them: separated by commas, semicolons, spaces or lines, with or without
 * "Name <address>", duplicates (in any case) once. Not validated here: the API says which is wrong.
 */
export function parseEmailList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,;\n\r]+/)) {
    const angle = /<([^<>]*)>/.exec(raw);
    const parts = angle ? [angle[1]!] : raw.split(/\s+/);
    for (const part of parts) {
      const email = part.trim();
      if (!email || seen.has(email.toLowerCase())) continue;
      seen.add(email.toLowerCase());
      out.push(email);
    }
  }
  return out;
}

/** The name of the access "Add user" creates: the sharer sees it in Access sharing. */
export function accessNameForUsers(emails: readonly string[]): string {
  const first = emails[0] ?? '';
  const name = emails.length > 1 ? `Users: ${first} and ${emails.length - 1} more` : `Users: ${first}`;
  // The API takes names of at most 100 characters; a long address is cut rather than refused.
  return name.length > 100 ? `${name.slice(0, 99)}…` : name;
}

/** The people an owner may hand the root to: the other members. */
export function transferCandidates(people: readonly Person[]): Member[] {
  return people.filter(isMember).filter((m) => !m.isRootOwner);
}

/** How a member is named in a sentence: the display name and the e-mail, or the e-mail alone. */
export function personName(person: Person): string {
  return isMember(person) && person.displayName ? `${person.displayName} (${person.email})` : person.email;
}
