import { REDACTED, scrubSecrets } from './redaction';

describe('scrubbing secrets out of log text', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvbGl2aWEifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
  const apiToken = `acc_${'aB3'.repeat(16)}x`;
  const linkToken = `inv_${'Qz-_9'.repeat(9)}`;

  it.each([
    ['a bearer credential', `authorization: Bearer ${apiToken}`, `authorization: Bearer ${REDACTED}`],
    ['a JWT anywhere', `token ${jwt} expired`, `token ${REDACTED} expired`],
    ['an API token secret', `verify ${apiToken}`, `verify acc_${REDACTED}`],
    ['an invitation link token', `sent ${linkToken}.`, `sent inv_${REDACTED}.`],
    [
      'the token segment of a link',
      'GET /v1/invitations/by-token/abc123?x=1',
      `GET /v1/invitations/by-token/${REDACTED}?x=1`,
    ],
    ['credential query parameters', '/cb?code=xyz&state=1&token=t0k', `/cb?code=${REDACTED}&state=1&token=${REDACTED}`],
  ])('hides %s', (_case, text, scrubbed) => {
    expect(scrubSecrets(text)).toBe(scrubbed);
  });

  it('leaves text without secrets as it is (ids, paths, e-mail addresses)', () => {
    const text = 'GET /v1/accounts/5d0c8a4e-2b8f-4b55-9a36-2f1f0f2d6b3a/tokens?minPosition=4 by olivia@example.com';
    expect(scrubSecrets(text)).toBe(text);
  });
});
