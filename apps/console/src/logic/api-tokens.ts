/**
 * The API tokens screen's rules, kept apart from React so they can be tested: which expiries to
 * offer under the account's token policy, what `expiresAt` each means, which permissions the
 * signed-in person may hand a token (a token never holds more than its user), and a token's status.
 */

/** A token as `GET /v1/accounts/{id}/tokens` lists it (never the secret). */
export interface TokenView {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly prefix: string;
  readonly permissions: readonly string[] | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revoked: boolean;
  readonly rotatedAt: string | null;
}

/** What `POST …/tokens` answers: the secret is in this answer only. */
export interface TokenIssued {
  readonly id: string;
  readonly token: string;
  readonly prefix: string;
  readonly name: string;
  readonly expiresAt: string | null;
}

/** How long a new token lives: a number of days, a chosen date, or not at all. */
export type ExpiryChoice = '7' | '30' | '90' | '365' | 'custom' | 'never';

export interface ExpiryOption {
  readonly value: ExpiryChoice;
  readonly label: string;
}

const DAY_CHOICES: readonly { value: ExpiryChoice; days: number; label: string }[] = [
  { value: '7', days: 7, label: '7 days' },
  { value: '30', days: 30, label: '30 days' },
  { value: '90', days: 90, label: '90 days' },
  { value: '365', days: 365, label: '1 year' },
];

/**
 * The expiries to offer. Under a maximum lifetime (the account's token policy) the longer ones and
 * "never" are left out: the API would refuse them anyway.
 */
export function expiryOptions(maxLifetimeDays: number | null): ExpiryOption[] {
  const days = DAY_CHOICES.filter((c) => maxLifetimeDays === null || c.days <= maxLifetimeDays).map(
    ({ value, label }) => ({ value, label }),
  );
  return [
    ...days,
    { value: 'custom', label: 'On a date…' },
    ...(maxLifetimeDays === null ? [{ value: 'never' as const, label: 'Never' }] : []),
  ];
}

/** The choice a form starts with: 30 days, or the longest the policy allows when that is shorter. */
export function defaultExpiry(maxLifetimeDays: number | null): ExpiryChoice {
  const options = expiryOptions(maxLifetimeDays).filter((o) => o.value !== 'custom' && o.value !== 'never');
  if (options.some((o) => o.value === '30')) return '30';
  return options[options.length - 1]?.value ?? 'custom';
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The `expiresAt` to send: `undefined` for "never"; a number of days from `now`; for a date (as an
 * `<input type="date">` gives it) the end of that day, UTC. `null` when the date is missing or not a
 * real date — the form says so before asking the API.
 */
export function expiresAtFor(choice: ExpiryChoice, now: Date, date = ''): string | undefined | null {
  if (choice === 'never') return undefined;
  if (choice === 'custom') {
    const m = DATE.exec(date);
    if (!m) return null;
    const end = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59));
    // Date.UTC rolls 2030-02-30 over into March: a date that does not exist is refused, not moved.
    if (end.getUTCMonth() !== Number(m[2]) - 1 || end.getUTCDate() !== Number(m[3])) return null;
    return end.toISOString();
  }
  const days = DAY_CHOICES.find((c) => c.value === choice)!.days;
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000).toISOString();
}

/** What `GET …/members/{userId}/access` says per section. */
export type SectionLevel = 'management' | 'read only' | 'none';

/**
 * The permissions the signed-in person holds in the account, as a token may ask for them: each
 * section they manage (`<section>:manage`) or read (`<section>:read`), the user list for those who
 * may read it, and any permissions granted to them one by one. Sorted, without duplicates.
 */
export function heldPermissions(input: {
  readonly role: string;
  readonly sections: Readonly<Record<string, SectionLevel>>;
  readonly granted?: readonly string[];
}): string[] {
  const held = new Set<string>();
  for (const [section, level] of Object.entries(input.sections)) {
    if (level === 'management') held.add(`${section}:manage`);
    else if (level === 'read only') held.add(`${section}:read`);
  }
  // The person could read their own member entry, so they hold users:read; owners manage users.
  held.add(input.role === 'owner' ? 'users:manage' : 'users:read');
  for (const p of input.granted ?? []) held.add(p);
  return [...held].sort((a, b) => a.localeCompare(b));
}

/**
 * The `permissions` to send: `undefined` = the same as the user's, always (they follow the user's
 * role); otherwise the ticked ones plus any typed in (comma- or space-separated), without duplicates.
 */
export function permissionsToSend(
  mode: 'all' | 'some',
  ticked: readonly string[],
  typed: string,
): string[] | undefined {
  if (mode === 'all') return undefined;
  const extra = typed
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return [...new Set([...ticked, ...extra])];
}

export type TokenStatus = 'Active' | 'Expired' | 'Revoked';

/** A token's status as the list shows it (the API's `status` filter uses the same three). */
export function tokenStatus(token: Pick<TokenView, 'revoked' | 'expiresAt'>, now: Date): TokenStatus {
  if (token.revoked) return 'Revoked';
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime()) return 'Expired';
  return 'Active';
}

/** The permissions cell: a token without its own list follows its user's. */
export function permissionsLabel(permissions: readonly string[] | null): string {
  if (permissions === null) return 'Same as its user';
  if (permissions.length === 0) return 'None';
  return permissions.join(', ');
}

/** An instant as the console shows it: date and minutes, UTC, the same for everyone. */
export function formatInstant(iso: string | null, never = '—'): string {
  if (iso === null) return never;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
