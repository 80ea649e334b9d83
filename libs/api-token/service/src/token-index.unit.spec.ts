import type { ApiTokenIssuedData, EventEnvelope } from '@accord/contracts';
import type { EventStore } from '@accord/eventstore';
import { TokenIndex } from './token-index';

// The index folds events; here they are handed to it directly (no store needed to fold).
const envelope = (type: string, data: unknown, globalPosition: number): EventEnvelope => ({
  id: `e${globalPosition}`,
  type,
  schemaVersion: 1,
  streamId: 'token-t1',
  streamPosition: globalPosition - 1,
  globalPosition,
  occurredAt: '2026-11-22T10:00:00.000Z',
  accountId: 'acc1',
  actor: { userId: 'u1', via: 'session' },
  correlationId: 'c',
  causationId: null,
  data,
});
const issued: ApiTokenIssuedData = {
  tokenId: 't1',
  accountId: 'acc1',
  userId: 'u1',
  email: 'u1@example.com',
  name: 'CI',
  prefix: 'acc_AbCd',
  tokenHash: 'h1',
  permissions: null,
  scope: null,
  expiresAt: '2026-12-01T00:00:00.000Z',
  issuedVia: 'api',
};

describe('TokenIndex (in-memory verification)', () => {
  const index = () => {
    const i = new TokenIndex({} as EventStore);
    i.apply(envelope('ApiTokenIssued', issued, 1));
    return i;
  };

  it('finds a live token by the hash of its secret', () =>
    expect(index().find('h1', Date.parse('2026-11-23T00:00:00Z'))).toMatchObject({ tokenId: 't1', userId: 'u1' }));
  it('an expired token is not found (expiry enforced at every verification)', () =>
    expect(index().find('h1', Date.parse('2026-12-01T00:00:00Z'))).toBeNull());
  it('a revoked token is not found', () => {
    const i = index();
    i.apply(
      envelope(
        'ApiTokenRevoked',
        { tokenId: 't1', accountId: 'acc1', userId: 'u1', reason: 'revoked_by_user', revokedBy: 'u1' },
        2,
      ),
    );
    expect(i.find('h1', Date.parse('2026-11-23T00:00:00Z'))).toBeNull();
    expect(i.position()).toBe(2);
  });
  it('an unknown hash is not found', () => expect(index().find('nope')).toBeNull());
  it('lists a member’s live tokens for revocation when they go', () =>
    expect(index().liveTokensOf('acc1', 'u1')).toEqual(['t1']));

  describe('rotation (TOK-17): the new secret at once, the previous one only during its grace', () => {
    const at = (iso: string) => Date.parse(iso);
    const rotated = (tokenHash: string, graceEndsAt: string, position: number) =>
      envelope(
        'ApiTokenRotated',
        {
          tokenId: 't1',
          accountId: 'acc1',
          userId: 'u1',
          prefix: 'acc_NeWw',
          tokenHash,
          graceEndsAt,
          rotatedBy: 'u1',
        },
        position,
      );
    const rotatedOnce = () => {
      const i = index();
      i.apply(rotated('h2', '2026-11-23T10:00:00.000Z', 2));
      return i;
    };

    it('the new secret verifies as the same token at once', () =>
      expect(rotatedOnce().find('h2', at('2026-11-23T09:00:00Z'))).toEqual(
        index().find('h1', at('2026-11-23T09:00:00Z')),
      ));
    it('the previous secret verifies until its grace ends, and never at or after it', () => {
      const i = rotatedOnce();
      expect(i.find('h1', at('2026-11-23T09:59:59.999Z'))).toMatchObject({ tokenId: 't1' });
      expect(i.find('h1', at('2026-11-23T10:00:00.000Z'))).toBeNull();
      expect(i.find('h2', at('2026-11-23T10:00:00.000Z'))).toMatchObject({ tokenId: 't1' });
    });
    it('with no grace the previous secret fails at once', () => {
      const i = index();
      i.apply(rotated('h2', '2026-11-22T10:00:00.000Z', 2));
      expect(i.find('h1', at('2026-11-22T10:00:00.000Z'))).toBeNull();
    });
    it('a second rotation ends the first grace at once: only the secret just replaced is honoured', () => {
      const i = rotatedOnce();
      i.apply(rotated('h3', '2026-11-23T10:00:00.000Z', 3));
      const during = at('2026-11-23T09:00:00Z');
      expect(i.find('h1', during)).toBeNull();
      expect(i.find('h2', during)).toMatchObject({ tokenId: 't1' });
      expect(i.find('h3', during)).toMatchObject({ tokenId: 't1' });
    });
    it('revoking the token kills both secrets, grace or not', () => {
      const i = rotatedOnce();
      i.apply(
        envelope(
          'ApiTokenRevoked',
          { tokenId: 't1', accountId: 'acc1', userId: 'u1', reason: 'revoked_by_user', revokedBy: 'u1' },
          3,
        ),
      );
      expect(i.find('h1', at('2026-11-23T09:00:00Z'))).toBeNull();
      expect(i.find('h2', at('2026-11-23T09:00:00Z'))).toBeNull();
      expect(i.liveTokensOf('acc1', 'u1')).toEqual([]);
    });
    it('the token’s expiry still ends both secrets', () =>
      expect(rotatedOnce().find('h2', at('2026-12-01T00:00:00Z'))).toBeNull());
    it('a rotated token is listed once among its member’s live tokens', () =>
      expect(rotatedOnce().liveTokensOf('acc1', 'u1')).toEqual(['t1']));
  });
});
