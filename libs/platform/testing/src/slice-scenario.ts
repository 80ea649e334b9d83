import { randomUUID } from 'node:crypto';
import { eventually, httpClient, listItems, sessionToken } from './http';

/**
 * The walking skeleton's slice over HTTP, shared by the end-to-end specs of both profiles:
 * create an account → share access → the recipient lists and accepts → the owner sees the member.
 * Returns what it observed so each spec can assert profile-specific things on top.
 */
export async function runSliceScenario(baseUrl: string, jwtSecret: string) {
  const call = httpClient(baseUrl);
  const run = randomUUID().slice(0, 8);
  const olivia = { userId: randomUUID(), email: `olivia-${run}@example.com` };
  const mike = { userId: randomUUID(), email: `mike-${run}@example.com` };
  const oliviaToken = await sessionToken(jwtSecret, olivia);
  const mikeToken = await sessionToken(jwtSecret, mike);

  const account = await call('POST', '/v1/accounts', { token: oliviaToken, body: { name: 'Acme' } });
  expect(account.status).toBe(201);
  const accountId: string = account.body.id;

  const shared = await call('POST', `/v1/accounts/${accountId}/accesses`, {
    token: oliviaToken,
    body: {
      name: 'Ops team',
      type: 'delegate',
      scope: { type: 'global' },
      role: 'administrator',
      // Upper case on purpose: the recipient signs in with the lower-case address.
      recipients: [mike.email.toUpperCase()],
    },
  });
  expect(shared.status).toBe(201);
  expect(shared.body.invitations).toHaveLength(1);
  expect(shared.body.invitations[0].status).toBe('pending');

  const inbox = await call('GET', `/v1/me/invitations?minPosition=${shared.body.position}`, { token: mikeToken });
  expect(inbox.status).toBe(200);
  const invitation = listItems(inbox.body).find((i) => i['accountId'] === accountId)!;
  expect(invitation).toMatchObject({ id: shared.body.invitations[0].id, role: 'administrator', status: 'pending' });
  expect(JSON.stringify(inbox.body)).not.toContain('Ops team'); // the access name is the sharer's only

  const accepted = await call('POST', `/v1/invitations/${invitation['id']}/accept`, { token: mikeToken });
  expect(accepted.status).toBe(200);
  expect(accepted.body).toMatchObject({ invitationId: invitation['id'], accountId, status: 'accepted' });

  // MemberJoined is a reaction to InvitationAccepted: eventually there, exactly once.
  const members = await eventually(
    () => call('GET', `/v1/accounts/${accountId}/members`, { token: oliviaToken }),
    (r) => r.status === 200 && listItems(r.body).some((m) => m['userId'] === mike.userId),
  );
  expect(listItems(members.body).filter((m) => m['userId'] === mike.userId)).toEqual([
    expect.objectContaining({ email: mike.email.toUpperCase(), role: 'administrator', status: 'active' }),
  ]);
  expect(listItems(members.body).find((m) => m['userId'] === olivia.userId)).toMatchObject({
    role: 'owner',
    isRootOwner: true,
  });

  const accesses = await call('GET', `/v1/accounts/${accountId}/accesses?minPosition=${accepted.body.position}`, {
    token: oliviaToken,
  });
  expect(accesses.status).toBe(200);
  expect(listItems(accesses.body)[0]!['recipients']).toEqual([
    {
      email: mike.email.toUpperCase(),
      invitationId: invitation['id'],
      status: 'accepted',
      expiresAt: expect.any(String),
    },
  ]);

  const mikesAccounts = await call('GET', '/v1/accounts', { token: mikeToken });
  expect(listItems(mikesAccounts.body)).toEqual([
    expect.objectContaining({ id: accountId, name: 'Acme', role: 'administrator' }),
  ]);

  return {
    call,
    accountId,
    olivia,
    mike,
    oliviaToken,
    mikeToken,
    accessId: shared.body.id as string,
    invitationId: invitation['id'] as string,
  };
}
