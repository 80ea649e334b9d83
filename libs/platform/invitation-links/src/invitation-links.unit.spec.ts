import { isWellFormedLinkToken, linkToken, newInvitationLink, tokenHash } from './index';

const key = 'k'.repeat(32);

describe('invitation link tokens', () => {
  it('a link token is derived from its nonce with the key, and only its hash is kept', () => {
    const link = newInvitationLink(key);
    expect(linkToken(key, link.nonce)).toBe(link.token);
    expect(tokenHash(link.token)).toBe(link.tokenHash);
    expect(link.tokenHash).not.toContain(link.token);
  });

  it('another key yields another token (rotating the key kills every link)', () => {
    const link = newInvitationLink(key);
    expect(linkToken('x'.repeat(32), link.nonce)).not.toBe(link.token);
  });

  it('tokens carry 128 random bits: two links never share a token', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newInvitationLink(key).token));
    expect(tokens.size).toBe(1000);
  });

  it('the shape check accepts real tokens and refuses garbage before any look-up', () => {
    expect(isWellFormedLinkToken(newInvitationLink(key).token)).toBe(true);
    for (const bad of [
      '',
      'inv_',
      'inv_short',
      `acc_${'a'.repeat(43)}`,
      `inv_${'a'.repeat(42)}!`,
      `inv_${'a'.repeat(44)}`,
    ]) {
      expect(isWellFormedLinkToken(bad)).toBe(false);
    }
  });
});
