import { EVENT_CONTEXT, EVENT_EXAMPLES, type Actor, type AccordEventType, type EventEnvelope } from '@accord/contracts';
import { AuditDirectory } from './audit-directory';
import { describeEvent } from './describe-event';

const OWNER = EVENT_EXAMPLES.AccountCreated.rootOwner.userId;
const MEMBER = EVENT_EXAMPLES.MemberJoined.userId;
const SESSION: Actor = { userId: OWNER, via: 'session' };

function envelopeOf<T extends AccordEventType>(type: T, actor: Actor = SESSION, data: unknown = EVENT_EXAMPLES[type]) {
  const envelope: EventEnvelope = {
    id: `event-${type}`,
    type,
    schemaVersion: 1,
    streamId: 'account-1',
    streamPosition: 0,
    globalPosition: 1,
    occurredAt: '2025-01-01T00:00:00.000Z',
    accountId: EVENT_EXAMPLES.AccountCreated.accountId,
    actor,
    correlationId: 'corr-1',
    causationId: null,
    data,
  };
  return envelope;
}

/** A directory that has seen the account's creation and Mike joining. */
function knownDirectory(): AuditDirectory {
  const directory = new AuditDirectory();
  directory.learn(envelopeOf('AccountCreated'));
  directory.learn(envelopeOf('MemberJoined', { userId: MEMBER, via: 'session' }));
  return directory;
}

const TYPES = Object.keys(EVENT_CONTEXT) as AccordEventType[];

describe('describeEvent', () => {
  it.each(TYPES)('says what a %s did, in a sentence of its own, with no secret', (type) => {
    const sentence = describeEvent(envelopeOf(type), knownDirectory());

    expect(sentence).not.toMatch(/recorded/);
    expect(sentence).not.toContain(type);
    expect(sentence).not.toContain(EVENT_EXAMPLES.ApiTokenIssued.tokenHash);
    expect(sentence).not.toContain(EVENT_EXAMPLES.AccessShared.recipients[0]!.link.nonce);
    expect(sentence.length).toBeGreaterThan(15);
  });

  it('gives every type a different sentence', () => {
    const sentences = TYPES.map((type) => describeEvent(envelopeOf(type), knownDirectory()));
    expect(new Set(sentences).size).toBe(TYPES.length);
  });

  it('names people by e-mail once known, else by user id', () => {
    const roleChanged = envelopeOf('RoleChanged', SESSION, { ...EVENT_EXAMPLES.RoleChanged, to: 'administrator' });
    expect(describeEvent(roleChanged, knownDirectory())).toBe(
      "olivia@example.com changed mike@example.com's role from accountant to administrator",
    );
    const scope = envelopeOf('MemberScopeChanged');
    expect(describeEvent(scope, knownDirectory())).toBe(
      "olivia@example.com set mike@example.com's scope to every billing account",
    );
    expect(describeEvent(scope, new AuditDirectory())).toBe(`${OWNER} set ${MEMBER}'s scope to every billing account`);
  });

  it('says when the actor was impersonated, used an API token or was Accord itself', () => {
    const impersonated: Actor = { userId: OWNER, via: 'impersonation', impersonatorId: 'admin|42' };
    expect(describeEvent(envelopeOf('MemberRemoved', impersonated), knownDirectory())).toBe(
      'olivia@example.com removed mike@example.com from the account (impersonated by admin|42)',
    );
    const token: Actor = { userId: OWNER, via: 'api_token', tokenId: 'e2f4a6c8-1b3d-4f5a-8c7e-9d1b3f5a7c9e' };
    expect(describeEvent(envelopeOf('BillingAccountCreated', token), knownDirectory())).toMatch(
      /^olivia@example.com created billing account "EU billing" .* with an API token$/,
    );
    const system: Actor = { userId: 'system', via: 'system' };
    expect(describeEvent(envelopeOf('InvitationRevoked', system), knownDirectory())).toBe(
      'Accord revoked the invitation to mike@example.com (by an owner)',
    );
  });

  it('describes an event type it does not know without failing', () => {
    const unknown = { ...envelopeOf('MemberLeft'), type: 'SomethingNew' };
    expect(describeEvent(unknown, knownDirectory())).toBe('olivia@example.com recorded SomethingNew');
  });
});

describe('AuditDirectory', () => {
  it('learns e-mails from every object holding a userId and an email, the latest winning', () => {
    const directory = new AuditDirectory();
    expect(directory.emailOf(OWNER)).toBeUndefined();

    directory.learn(envelopeOf('AccountCreated'));
    directory.learn(envelopeOf('ApiTokenIssued'));
    expect(directory.emailOf(OWNER)).toBe('olivia@example.com');
    expect(directory.emailOf(MEMBER)).toBe('mike@example.com');

    directory.learn(envelopeOf('RoleChanged', SESSION, { ...EVENT_EXAMPLES.RoleChanged, email: 'mike@corp.example' }));
    expect(directory.emailOf(MEMBER)).toBe('mike@corp.example');
    // An invitation names an e-mail but no user: nothing to learn.
    directory.learn(envelopeOf('InvitationRevoked'));
    expect(directory.emailOf(EVENT_EXAMPLES.InvitationRevoked.revokedBy)).toBe('olivia@example.com');
  });
});
