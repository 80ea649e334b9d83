/** What replaces a secret in a log line. */
export const REDACTED = '[redacted]';

/** Keys whose values never reach a log line, at any of the first three levels of a logged object. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'token',
  'accessToken',
  'refreshToken',
  'apiToken',
  'password',
  'secret',
  'jwtSecret',
  'linkKey',
  'link',
  'privateKey',
];

/** The pino `redact` paths of `SECRET_KEYS` (and the header names that carry credentials). */
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
];

// Secrets by shape, for text (messages, error messages, URLs) that redaction by key cannot see.
const SECRET_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  // `Authorization: Bearer …` (a session JWT or an API token).
  [/\bBearer\s+[^\s"',;]+/gi, `Bearer ${REDACTED}`],
  // A JWT anywhere: three base64url parts, the first a JSON header (`{"` encodes to `eyJ`).
  [/\beyJ[\w-]*\.[\w-]*\.[\w-]*/g, REDACTED],
  // API token secrets (`acc_` + base62) and invitation link tokens (`inv_` + base64url).
  [/\bacc_[0-9A-Za-z]{8,}/g, `acc_${REDACTED}`],
  [/\binv_[\w-]{8,}/g, `inv_${REDACTED}`],
  // The token segment of an invitation link, whatever it looks like.
  [/(\/by-token\/)[^\s/?#"']+/g, `$1${REDACTED}`],
  // Query parameters that carry credentials.
  [/([?&](?:token|access_token|api_key|key|code|secret|password|signature)=)[^&#\s"']*/gi, `$1${REDACTED}`],
];

/** `text` with every secret it visibly holds (bearer tokens, JWTs, API and link tokens) replaced. */
export function scrubSecrets(text: string): string {
  return SECRET_SHAPES.reduce((scrubbed, [shape, replacement]) => scrubbed.replace(shape, replacement), text);
}
