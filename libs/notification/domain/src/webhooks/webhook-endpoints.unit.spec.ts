import { deciderSpec } from '@accord/decider-spec';
import type { WebhookEndpointEvent } from '@accord/contracts';
import { webhookEndpointsDecider, type RegisterWebhookEndpoint } from './webhook-endpoints';

const given = deciderSpec(webhookEndpointsDecider);
const ACCOUNT = '6f1c2a4e-9b3d-4c1e-8a2f-0d5e7b9c1a23';
const E1 = 'b4c5d6e7-f809-4a1b-8c2d-3e4f5a6b7c8e';
const HASH = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const owner = { by: 'u-root', via: 'session' as const, byOwner: true };

const register = (over: Partial<RegisterWebhookEndpoint['data']> = {}): RegisterWebhookEndpoint => ({
  type: 'RegisterWebhookEndpoint',
  data: {
    ...owner,
    endpointId: E1,
    accountId: ACCOUNT,
    url: 'https://hooks.example.com/accord',
    eventTypes: ['MemberJoined', 'MemberRemoved'],
    secretPrefix: 'whsec_MfKQ',
    secretHash: HASH,
    allowLoopback: false,
    ...over,
  },
});
const registered = (endpointId = E1): WebhookEndpointEvent => ({
  type: 'WebhookEndpointRegistered',
  data: {
    endpointId,
    accountId: ACCOUNT,
    url: 'https://hooks.example.com/accord',
    eventTypes: ['MemberJoined', 'MemberRemoved'],
    secretPrefix: 'whsec_MfKQ',
    secretHash: HASH,
    registeredBy: 'u-root',
  },
});
const disable = {
  type: 'DisableWebhookEndpoint' as const,
  data: { endpointId: E1, accountId: ACCOUNT, failingSince: '2030-01-01T00:00:00.000Z', lastFailure: 'http 500' },
};
const disabled: WebhookEndpointEvent = {
  type: 'WebhookEndpointDisabled',
  data: { ...disable.data, url: 'https://hooks.example.com/accord', reason: 'failing_for_24h' },
};

describe('registering a webhook endpoint (rule NOT-11)', () => {
  it('an owner registers an https endpoint; the event holds the secret’s prefix and hash only', () =>
    given([]).when(register()).then([registered()]));

  it('a member who is not an owner is refused', () =>
    given([])
      .when(register({ byOwner: false }))
      .thenThrows('forbidden', 'webhook.owner_only'));

  it('an impersonating administrator is refused', () =>
    given([])
      .when(register({ via: 'impersonation' }))
      .thenThrows('forbidden', 'impersonation.forbidden'));

  it.each([
    ['http, outside the embedded profile', 'http://hooks.example.com/'],
    ['credentials in the URL', 'https://user:pw@hooks.example.com/'],
    ['not a URL', 'hooks.example.com'],
    ['another scheme', 'ftp://hooks.example.com/'],
  ])('a URL with %s is refused, naming url', (_, url) =>
    given([]).when(register({ url })).thenThrows('validation', 'webhook.url_invalid'),
  );

  it('http to loopback is allowed where the profile allows it (embedded)', () =>
    expect(
      webhookEndpointsDecider.decide(register({ url: 'http://127.0.0.1:4000/hook', allowLoopback: true }), {
        endpoints: {},
      }),
    ).toHaveLength(1));

  it.each([
    ['none', []],
    ['an unknown type', ['MemberJoined', 'NoSuchEvent']],
    ['a type twice', ['MemberJoined', 'MemberJoined']],
    ['not a list', 'MemberJoined'],
    ['a prototype key', ['constructor']],
  ])('event types: %s is refused, naming eventTypes', (_, eventTypes) =>
    given([]).when(register({ eventTypes })).thenThrows('validation', 'webhook.event_types_invalid'),
  );

  it('at most 20 endpoints per account', () =>
    given(Array.from({ length: 20 }, (_, i) => registered(`00000000-0000-4000-8000-0000000000${10 + i}`)))
      .when(register())
      .thenThrows('conflict', 'webhook.too_many'));
});

describe('deleting and disabling an endpoint', () => {
  const del = (byOwner = true) => ({
    type: 'DeleteWebhookEndpoint' as const,
    data: { ...owner, byOwner, endpointId: E1, accountId: ACCOUNT },
  });

  it('an owner deletes it', () =>
    given([registered()])
      .when(del())
      .then([{ type: 'WebhookEndpointDeleted', data: { endpointId: E1, accountId: ACCOUNT, deletedBy: 'u-root' } }]));

  it('an unknown or deleted endpoint is not found', () => {
    given([]).when(del()).thenThrows('not_found', 'webhook.not_found');
    given([
      registered(),
      { type: 'WebhookEndpointDeleted', data: { endpointId: E1, accountId: ACCOUNT, deletedBy: 'x' } },
    ])
      .when(del())
      .thenThrows('not_found', 'webhook.not_found');
  });

  it('a non-owner cannot delete it', () =>
    given([registered()]).when(del(false)).thenThrows('forbidden', 'webhook.owner_only'));

  it('after 24 h of failures it is disabled, with its URL for the owners’ notice (rule NOT-15)', () =>
    given([registered()]).when(disable).then([disabled]));

  it('is disabled once: a second delivery giving up records nothing', () =>
    given([registered(), disabled]).when(disable).thenNothing());

  it('a deleted endpoint is not disabled', () =>
    given([
      registered(),
      { type: 'WebhookEndpointDeleted', data: { endpointId: E1, accountId: ACCOUNT, deletedBy: 'x' } },
    ])
      .when(disable)
      .thenNothing());

  it('a disabled endpoint can still be deleted', () =>
    given([registered(), disabled])
      .when(del())
      .then([{ type: 'WebhookEndpointDeleted', data: { endpointId: E1, accountId: ACCOUNT, deletedBy: 'u-root' } }]));
});
