import {
  conflict,
  exhaustive,
  forbidden,
  invalid,
  isAccordEventType,
  notFound,
  WEBHOOK_LIMITS,
  type Actor,
  type Decider,
  type WebhookEndpointDeletedData,
  type WebhookEndpointDisabledData,
  type WebhookEndpointEvent,
  type WebhookEndpointRegisteredData,
} from '@accord/contracts';
import { webhookUrlProblem } from './webhook-url';

// The webhook endpoints of one account (stream `webhook-<accountId>`): registered and deleted by
// its owners, disabled by Accord when deliveries keep failing.

/** Who asks, as the service found out: `byOwner` is the membership service's answer for `by`. */
interface OwnerFacts {
  readonly by: string;
  readonly via: Actor['via'];
  readonly byOwner: boolean;
}

export interface RegisterWebhookEndpoint {
  readonly type: 'RegisterWebhookEndpoint';
  readonly data: OwnerFacts & {
    readonly endpointId: string;
    readonly accountId: string;
    readonly url: unknown;
    readonly eventTypes: unknown;
    /** Of the secret the service minted; the secret itself never reaches the decider. */
    readonly secretPrefix: string;
    readonly secretHash: string;
    /** The embedded profile allows receivers on loopback hosts. */
    readonly allowLoopback: boolean;
  };
}

export interface DeleteWebhookEndpoint {
  readonly type: 'DeleteWebhookEndpoint';
  readonly data: OwnerFacts & { readonly endpointId: string; readonly accountId: string };
}

export interface DisableWebhookEndpoint {
  readonly type: 'DisableWebhookEndpoint';
  readonly data: Omit<WebhookEndpointDisabledData, 'url' | 'reason'>;
}

export type WebhookEndpointCommand = RegisterWebhookEndpoint | DeleteWebhookEndpoint | DisableWebhookEndpoint;

export interface WebhookEndpointState {
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly status: 'active' | 'disabled';
}

/** The account's endpoints that are not deleted, by id. */
export interface WebhookEndpointsState {
  readonly endpoints: Readonly<Record<string, WebhookEndpointState>>;
}

function ownersOnly(facts: OwnerFacts): void {
  if (facts.via === 'impersonation')
    throw forbidden('impersonation.forbidden', 'An impersonating administrator cannot change webhooks.');
  if (!facts.byOwner) throw forbidden('webhook.owner_only', 'Only owners manage the webhooks of an account.');
}

/** The subscribed event types, checked: known Accord event types, each once (NOT-11). */
function checkedEventTypes(raw: unknown): string[] {
  const message = `eventTypes must be 1 to ${WEBHOOK_LIMITS.eventTypes} distinct Accord event types (docs/events.md).`;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > WEBHOOK_LIMITS.eventTypes)
    throw invalid('eventTypes', 'webhook.event_types_invalid', message);
  if (!raw.every(isAccordEventType) || new Set(raw).size !== raw.length)
    throw invalid('eventTypes', 'webhook.event_types_invalid', message);
  return [...raw];
}

/** NOT-11: an owner registers an https endpoint for some of the account's event types. */
export function registerWebhookEndpoint(
  d: RegisterWebhookEndpoint['data'],
  state: WebhookEndpointsState,
): [{ type: 'WebhookEndpointRegistered'; data: WebhookEndpointRegisteredData }] {
  ownersOnly(d);
  const problem = webhookUrlProblem(d.url, { allowLoopback: d.allowLoopback });
  if (problem !== null) throw invalid('url', 'webhook.url_invalid', `${problem}.`);
  const eventTypes = checkedEventTypes(d.eventTypes);
  if (Object.hasOwn(state.endpoints, d.endpointId))
    throw conflict('webhook.exists', 'An endpoint with this id exists already.');
  if (Object.keys(state.endpoints).length >= WEBHOOK_LIMITS.endpointsPerAccount)
    throw conflict(
      'webhook.too_many',
      `An account has at most ${WEBHOOK_LIMITS.endpointsPerAccount} webhook endpoints; delete one first.`,
    );
  return [
    {
      type: 'WebhookEndpointRegistered',
      data: {
        endpointId: d.endpointId,
        accountId: d.accountId,
        url: d.url as string,
        eventTypes,
        secretPrefix: d.secretPrefix,
        secretHash: d.secretHash,
        registeredBy: d.by,
      },
    },
  ];
}

/** An owner deletes an endpoint (active or disabled): nothing more is delivered to it. */
export function deleteWebhookEndpoint(
  d: DeleteWebhookEndpoint['data'],
  state: WebhookEndpointsState,
): [{ type: 'WebhookEndpointDeleted'; data: WebhookEndpointDeletedData }] {
  ownersOnly(d);
  if (!Object.hasOwn(state.endpoints, d.endpointId))
    throw notFound('webhook.not_found', 'No such webhook endpoint in this account.');
  return [
    { type: 'WebhookEndpointDeleted', data: { endpointId: d.endpointId, accountId: d.accountId, deletedBy: d.by } },
  ];
}

/**
 * NOT-15: a delivery failed for the whole retry window, so the endpoint stops receiving. Once: an
 * endpoint already disabled or deleted (another delivery gave up first) records nothing.
 */
export function disableWebhookEndpoint(
  d: DisableWebhookEndpoint['data'],
  state: WebhookEndpointsState,
): { type: 'WebhookEndpointDisabled'; data: WebhookEndpointDisabledData }[] {
  const endpoint = Object.hasOwn(state.endpoints, d.endpointId) ? state.endpoints[d.endpointId] : undefined;
  if (endpoint?.status !== 'active') return [];
  return [{ type: 'WebhookEndpointDisabled', data: { ...d, url: endpoint.url, reason: 'failing_for_24h' } }];
}

function evolve(state: WebhookEndpointsState, event: WebhookEndpointEvent): WebhookEndpointsState {
  switch (event.type) {
    case 'WebhookEndpointRegistered': {
      const { endpointId, url, eventTypes } = event.data;
      return { endpoints: { ...state.endpoints, [endpointId]: { url, eventTypes, status: 'active' } } };
    }
    case 'WebhookEndpointDeleted': {
      const endpoints = { ...state.endpoints };
      delete endpoints[event.data.endpointId];
      return { endpoints };
    }
    case 'WebhookEndpointDisabled': {
      const endpoint = state.endpoints[event.data.endpointId];
      if (!endpoint) return state;
      return { endpoints: { ...state.endpoints, [event.data.endpointId]: { ...endpoint, status: 'disabled' } } };
    }
    default:
      return exhaustive(event);
  }
}

export const webhookEndpointsDecider: Decider<WebhookEndpointCommand, WebhookEndpointEvent, WebhookEndpointsState> = {
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterWebhookEndpoint':
        return registerWebhookEndpoint(command.data, state);
      case 'DeleteWebhookEndpoint':
        return deleteWebhookEndpoint(command.data, state);
      case 'DisableWebhookEndpoint':
        return disableWebhookEndpoint(command.data, state);
      default:
        return exhaustive(command);
    }
  },
  evolve,
  initialState: () => ({ endpoints: {} }),
};
