import { EVENT_EXAMPLES, type EventEnvelope } from '@accord/contracts';
import { auditLogData } from './audit-log-data';

const envelopeOf = (type: string, data: unknown): EventEnvelope => ({
  id: 'e-1',
  type,
  schemaVersion: 1,
  streamId: 'access-1',
  streamPosition: 0,
  globalPosition: 1,
  occurredAt: '2025-01-01T00:00:00.000Z',
  accountId: 'acc-1',
  actor: { userId: 'u-1', via: 'session' },
  correlationId: 'c-1',
  causationId: null,
  data,
});

describe('auditLogData', () => {
  it('drops the links of the recipients of an access, keeping the rest', () => {
    const data = EVENT_EXAMPLES.AccessShared;
    const { recipients, ...rest } = data;

    expect(auditLogData(envelopeOf('AccessShared', data))).toEqual({
      ...rest,
      recipients: recipients.map(({ invitationId, email }) => ({ invitationId, email })),
    });
    expect(data.recipients[0]!.link).toBeDefined(); // a copy: the event is untouched
  });

  it('drops the link of a resent invitation and the hash of an API token', () => {
    const resent = auditLogData(envelopeOf('InvitationResent', EVENT_EXAMPLES.InvitationResent));
    const issued = auditLogData(envelopeOf('ApiTokenIssued', EVENT_EXAMPLES.ApiTokenIssued));

    expect(resent).not.toHaveProperty('link');
    expect(resent).toMatchObject({ email: 'mike@example.com', resentBy: EVENT_EXAMPLES.InvitationResent.resentBy });
    expect(issued).not.toHaveProperty('tokenHash');
    expect(issued).toMatchObject({ name: 'CI deploys', email: 'mike@example.com' });
    for (const data of [resent, issued]) {
      expect(JSON.stringify(data)).not.toContain(EVENT_EXAMPLES.ApiTokenIssued.tokenHash);
      expect(JSON.stringify(data)).not.toContain(EVENT_EXAMPLES.InvitationResent.link.nonce);
    }
  });

  it('drops secret-like fields at any depth of an unknown event', () => {
    const data = { keep: 1, clientSecret: 's', nested: [{ password: 'p', nonce: 'n', tokenHash: 'h', ok: true }] };
    expect(auditLogData(envelopeOf('SomethingHappened', data))).toEqual({ keep: 1, nested: [{ ok: true }] });
    expect(auditLogData(envelopeOf('SomethingHappened', 'plain'))).toBe('plain');
  });
});
