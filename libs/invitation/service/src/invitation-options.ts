/** What the invitation service needs from its composition root. */
export interface InvitationServiceOptions {
  /** HMAC key of invitation links (≥ 32 bytes); shared with the notification service only. */
  readonly linkKey: string;
  /** Invitations created per account per rolling day (INV-8; 500 by default). */
  readonly dailyInvitationLimit?: number;
  /** How often the expiry scheduler looks for invitations past their expiry and accesses past their end. */
  readonly expiryCheckMs?: number;
  /** The expiry scheduler's clock (INV-18, INV-29); the system clock unless a test travels in time. */
  readonly clock?: () => Date;
}

export const INVITATION_OPTIONS = Symbol('INVITATION_OPTIONS');
