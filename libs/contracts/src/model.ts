/** Roles of seed 004 (owner, administrator, accountant) plus seed 003's read-only. */
export const ROLES = ['owner', 'administrator', 'accountant', 'read-only'] as const;
export type Role = (typeof ROLES)[number];

/** Seed 000 "Access Scope": Global is every billing account; Restricted is one. */
export type Scope = { readonly type: 'global' } | { readonly type: 'restricted'; readonly billingAccountId: string };

/** Seed 000 "Access Types". */
export const ACCESS_TYPES = ['delegate', 'api_token'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'revoked' | 'expired';

/** A person as the identity provider vouches for them (JWT claims). */
export interface Person {
  readonly userId: string;
  readonly email: string;
  readonly emailVerified: boolean;
}
