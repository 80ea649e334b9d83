import type { EventEnvelope } from '@accord/contracts';

/**
 * Who is who in one account's events: the e-mail of each user id, learnt from every object in an
 * event's data that holds both a `userId` and an `email` (AccountCreated's rootOwner, MemberJoined,
 * RoleChanged, InvitationAccepted, ApiTokenIssued, …). Feed it the events in order; the latest wins.
 */
export class AuditDirectory {
  private readonly emails = new Map<string, string>();

  /** Learns the user ids and e-mails the event's data names together. */
  learn(event: EventEnvelope): void {
    this.walk(event.data);
  }

  /** The e-mail last seen with this user id. */
  emailOf(userId: string): string | undefined {
    return this.emails.get(userId);
  }

  private walk(value: unknown): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    const { userId, email } = record;
    if (typeof userId === 'string' && typeof email === 'string') this.emails.set(userId, email);
    for (const child of Object.values(record)) this.walk(child);
  }
}
