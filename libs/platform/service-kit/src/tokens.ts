/** Nest injection tokens for the infrastructure a composition root provides. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const SQL_CLIENT = Symbol('SQL_CLIENT');
