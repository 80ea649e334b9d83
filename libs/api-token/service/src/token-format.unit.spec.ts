import { hashToken, isWellFormedToken, mintToken, tokenPrefix } from './token-format';

describe('API token format (acc_ + base62 secret + CRC32 checksum)', () => {
  it('a minted token has the prefix, 49 base62 characters after it, and a valid checksum', () => {
    const token = mintToken();
    expect(token).toMatch(/^acc_[0-9A-Za-z]{49}$/);
    expect(isWellFormedToken(token)).toBe(true);
  });

  it('carries 256 random bits: no two tokens alike', () => {
    expect(new Set(Array.from({ length: 2000 }, mintToken)).size).toBe(2000);
  });

  it('a tampered checksum is rejected', () => {
    const token = mintToken();
    const last = token.at(-1)!;
    expect(isWellFormedToken(token.slice(0, -1) + (last === 'a' ? 'b' : 'a'))).toBe(false);
  });

  it('one flipped character of the secret is caught by the checksum', () => {
    const token = mintToken();
    let caught = 0;
    for (let i = 4; i < 47; i++) {
      const c = token[i] === 'x' ? 'y' : 'x';
      if (!isWellFormedToken(token.slice(0, i) + c + token.slice(i + 1))) caught++;
    }
    expect(caught).toBe(43);
  });

  it('the wrong prefix, length or alphabet is rejected', () => {
    const token = mintToken();
    for (const bad of [
      '',
      'acc_',
      token.replace('acc_', 'abc_'),
      token + 'x',
      token.slice(0, -2),
      token.replace(/.$/, '-'),
    ]) {
      expect(isWellFormedToken(bad)).toBe(false);
    }
  });

  it('the stored hash is SHA-256 and the display prefix shows only 4 secret characters', () => {
    const token = mintToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenPrefix(token)).toBe(token.slice(0, 8));
  });
});
