/**
 * The signed-in person's session token. Kept in sessionStorage only (one tab, gone when it closes;
 * never localStorage, never a cookie), and dropped on the first 401.
 */
const KEY = 'accord.session';

export interface SessionStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

export function browserSession(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = sessionStorage,
): SessionStore {
  return {
    get: () => storage.getItem(KEY),
    set: (token) => storage.setItem(KEY, token),
    clear: () => storage.removeItem(KEY),
  };
}

/**
 * The hand-off from the platform's sign-in (services profile): it opens the console at
 * `/#token=<session JWT>`. The token is taken from the fragment (never sent to a server) and the
 * fragment is cleared so it does not stay in the address bar or the history.
 */
export function tokenFromHandOff(hash: string): string | null {
  const match = /^#token=([A-Za-z0-9._~-]{10,4096})$/.exec(hash);
  return match ? match[1]! : null;
}

/** The e-mail in a session JWT's claims, for showing who is signed in (never trusted for anything). */
export function emailOfToken(token: string): string | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { email?: unknown };
    return typeof json.email === 'string' ? json.email : null;
  } catch {
    return null;
  }
}
