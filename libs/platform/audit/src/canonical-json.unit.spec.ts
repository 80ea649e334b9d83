import type { EventEnvelope } from '@accord/contracts';
import { AuditChain } from './audit-chain';
import { canonicalJson } from './canonical-json';

/** The same value with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, child]) => [key, reversedKeys(child)]),
  );
}

describe('canonicalJson (RFC 8785)', () => {
  it('does not depend on the order keys were written in, at any depth', () => {
    const value = { b: 1, a: { d: [3, { f: 1, e: 2 }], c: 'x' }, é: null, A: true };
    expect(JSON.stringify(reversedKeys(value))).not.toBe(JSON.stringify(value));
    expect(canonicalJson(reversedKeys(value))).toBe(canonicalJson(value));
    expect(canonicalJson(value)).toBe('{"A":true,"a":{"c":"x","d":[3,{"e":2,"f":1}]},"b":1,"é":null}');
  });

  it('writes numbers as RFC 8785 does', () => {
    // The numbers example of RFC 8785 §3.2.2.
    const numbers = [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001];
    expect(canonicalJson({ numbers })).toBe('{"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ value: Number.NaN })).toThrow();
  });

  it('makes an event line hash independent of the order of the envelope keys', () => {
    const envelope: EventEnvelope = {
      id: 'e-1',
      type: 'MemberLeft',
      schemaVersion: 1,
      streamId: 'account-1',
      streamPosition: 0,
      globalPosition: 65_536,
      occurredAt: '2025-01-01T00:00:00.000Z',
      accountId: 'acc-1',
      actor: { userId: 'u-1', via: 'session' },
      correlationId: 'c-1',
      causationId: null,
      data: { accountId: 'acc-1', userId: 'u-1', email: 'a@example.com' },
    };
    const shuffled = reversedKeys(envelope) as EventEnvelope;
    expect(new AuditChain().append(shuffled).hash).toBe(new AuditChain().append(envelope).hash);
  });
});
