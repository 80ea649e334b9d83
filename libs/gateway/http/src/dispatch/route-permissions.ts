/**
 * The permissions the gateway's routes require, in one place. MEM-3: owners alone add, change
 * and remove users (`users:manage`); MEM-20: every member sees the list (`users:read`). AUTHZ-6: the API
 * section is available to every member (`api:manage`).
 */
export const MANAGE_USERS = 'users:manage';
export const READ_USERS = 'users:read';
export const USE_API = 'api:manage';
/** The account's audit log and its export: owners only, as `users:manage` is (the log shows every member's doings). */
export const READ_AUDIT_LOG = MANAGE_USERS;
/** Who could do what, when: owners only, as `users:manage` is (it shows who granted what to whom). */
export const READ_ACCESS_HISTORY = MANAGE_USERS;
/** Webhook endpoints: owners only, as `users:manage` is (an endpoint receives the account's events). */
export const MANAGE_WEBHOOKS = MANAGE_USERS;
/**
 * The permission catalog (GET /v1/permissions) needs no account permission: it names sections and
 * roles, never an account or anyone's grants, so any signed-in caller reads it.
 */
export const READ_PERMISSION_CATALOG = 'any signed-in caller (a session or an API token)';
