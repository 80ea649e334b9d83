import { randomUUID } from 'node:crypto';
import { verifyWebhookSignature, webhookHeaders, webhookSignature } from './webhook-signature';
import { mintWebhookSecret, openSecret, sealingKeyOf, sealSecret, secretFingerprint } from './webhook-secrets';

// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('webhook signatures (rule NOT-13)', () => {
  it('reproduces the Standard Webhooks test vector', () =>
    expect(webhookSignature(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature));

  it('sends webhook-id, webhook-timestamp and webhook-signature', () =>
    expect(webhookHeaders(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toEqual({
      'content-type': 'application/json',
      'webhook-id': VECTOR.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': VECTOR.signature,
    }));

  it('a receiver’s check passes for the delivery and fails for any change to id, time, body or secret', () => {
    const { secret, id, timestamp, body, signature } = VECTOR;
    expect(verifyWebhookSignature(secret, id, timestamp, body, signature)).toBe(true);
    expect(verifyWebhookSignature(secret, id, timestamp, body, `v1,other ${signature}`)).toBe(true);
    expect(verifyWebhookSignature(secret, 'msg_other', timestamp, body, signature)).toBe(false);
    expect(verifyWebhookSignature(secret, id, timestamp + 1, body, signature)).toBe(false);
    expect(verifyWebhookSignature(secret, id, timestamp, '{"test": 1}', signature)).toBe(false);
    expect(verifyWebhookSignature(mintWebhookSecret(), id, timestamp, body, signature)).toBe(false);
  });
});

describe('webhook signing secrets (rule NOT-12)', () => {
  it('are whsec_ and 32 random bytes, different each time', () => {
    const secret = mintWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(mintWebhookSecret()).not.toBe(secret);
  });

  it('events and lists get a 4-character prefix and the SHA-256 only', () => {
    const secret = mintWebhookSecret();
    const { secretPrefix, secretHash } = secretFingerprint(secret);
    expect(secretPrefix).toBe(secret.slice(0, 10));
    expect(secretPrefix).toMatch(/^whsec_[A-Za-z0-9+/]{4}$/);
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('are stored encrypted, bound to their endpoint', () => {
    const key = sealingKeyOf('a link key of at least thirty-two bytes!');
    const endpointId = randomUUID();
    const secret = mintWebhookSecret();
    const sealed = sealSecret(key, endpointId, secret);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(openSecret(key, endpointId, sealed)).toBe(secret);
    expect(() => openSecret(key, randomUUID(), sealed)).toThrow();
    expect(() => openSecret(sealingKeyOf('another key of at least thirty-two bytes'), endpointId, sealed)).toThrow();
  });
});
