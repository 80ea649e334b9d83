import { accountNameProblem, sharedAccountLabel, splitAccounts, type AccountView } from './accounts-view';

const account = (over: Partial<AccountView> = {}): AccountView => ({
  id: 'a1',
  name: 'Acme',
  role: 'owner',
  ownerEmail: 'olivia@example.com',
  isRootOwner: true,
  displayName: null,
  mayCreateEnvironments: true,
  scope: { type: 'global' },
  ...over,
});

describe('the accounts screen', () => {
  it('"My accounts" are those I am the root owner of; every other one is shared with me', () => {
    const accounts = [
      account({ id: 'mine' }),
      account({ id: 'theirs', role: 'administrator', ownerEmail: 'nina@example.com', isRootOwner: false }),
      // Made an owner of someone else's account: still theirs, shared with me.
      account({ id: 'co-owned', role: 'owner', ownerEmail: 'nina@example.com', isRootOwner: false }),
    ];
    const { mine, shared } = splitAccounts(accounts, 'Olivia@Example.com');
    expect(mine.map((a) => a.id)).toEqual(['mine']);
    expect(shared.map((a) => a.id)).toEqual(['theirs', 'co-owned']);
  });

  it('the owner’s e-mail is matched in any case when the API has not said who is root', () => {
    const { mine } = splitAccounts(
      [account({ isRootOwner: false, ownerEmail: 'OLIVIA@example.com ' })],
      'olivia@example.com',
    );
    expect(mine).toHaveLength(1);
    expect(splitAccounts([account({ isRootOwner: false })], null).shared).toHaveLength(1);
  });

  it('a shared account shows the owner’s e-mail with my own name for it in parentheses', () => {
    expect(sharedAccountLabel(account({ ownerEmail: 'nina@example.com' }))).toBe('nina@example.com');
    expect(sharedAccountLabel(account({ ownerEmail: 'nina@example.com', displayName: ' Staging ' }))).toBe(
      'nina@example.com (Staging)',
    );
    expect(sharedAccountLabel(account({ ownerEmail: 'nina@example.com', displayName: '  ' }))).toBe('nina@example.com');
  });

  it('an account name is checked as the API checks it: trimmed, 1 to 100 characters', () => {
    expect(accountNameProblem('  ')).toBe('Enter a name for the account.');
    expect(accountNameProblem(' Acme ')).toBeUndefined();
    expect(accountNameProblem('x'.repeat(100))).toBeUndefined();
    expect(accountNameProblem('x'.repeat(101))).toContain('at most 100');
  });
});
