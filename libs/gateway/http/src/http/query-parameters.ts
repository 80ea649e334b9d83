/**
 * The query parameters the API knows, on any route under `/v1/`: anything else is a 400 naming it
 * (a typo must not be silently ignored). Each one is validated where it is read (`parseMinPosition`).
 * A route that adds a query parameter adds its name here.
 */
export const KNOWN_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  'minPosition',
  // GET /v1/accounts/:accountId/audit-log (and `from`, `to` on its export).
  ...['after', 'limit', 'type', 'actorId', 'from', 'to'],
  // GET /v1/accounts/:accountId/access-history.
  ...['userId', 'permission', 'at', 'billingAccountId'],
  // Every list (http/pagination.ts) and the lists' filters.
  ...['cursor', 'role', 'status', 'q', 'unread'],
]);

/** No query value of the API is anywhere near this long. */
export const MAX_QUERY_VALUE_LENGTH = 1024;
