/**
 * The permissions the gateway's routes require, in one place. MEM-3: owners alone add, change
 * and remove users (`users:manage`); MEM-20: every member sees the list (`users:read`). AUTHZ-6: the API
 * section is available to every member (`api:manage`).
 */
export const MANAGE_USERS = 'users:manage';
export const READ_USERS = 'users:read';
export const USE_API = 'api:manage';
