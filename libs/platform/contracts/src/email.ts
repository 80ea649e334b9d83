/**
 * E-mail identity rule: compare after trimming and lower-casing ASCII letters only. No Unicode case
 * folding, so `mıke@` (dotless i) never matches `mike@` — a known account-takeover trick.
 */
export function normalizeEmail(email: string): string {
  return email.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function sameEmail(a: string, b: string): boolean {
  return normalizeEmail(a) === normalizeEmail(b);
}
