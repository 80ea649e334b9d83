import { webhookAddressProblem, webhookUrlProblem } from './webhook-url';

const services = { allowLoopback: false };
const embedded = { allowLoopback: true };

describe('webhook endpoint URLs (rule NOT-11)', () => {
  it.each(['https://hooks.example.com/accord', 'https://hooks.example.com:8443/a?b=c', 'https://8.8.8.8/hook'])(
    'accepts %s',
    (url) => expect(webhookUrlProblem(url, services)).toBeNull(),
  );

  it.each([
    ['', 'absolute https URL'],
    ['/relative', 'absolute https URL'],
    ['http://hooks.example.com/', 'must use https'],
    ['ftp://hooks.example.com/', 'must use https'],
    ['javascript:alert(1)', 'must use https'],
    ['https://user:pw@hooks.example.com/', 'credentials'],
    ['https://user@hooks.example.com/', 'credentials'],
    ['https://hooks.example.com/#x', 'fragment'],
    ['https://hooks.example.com/ a', 'whitespace'],
    ['https://hooks.example.com/\u0000', 'control'],
    [`https://hooks.example.com/${'a'.repeat(2048)}`, 'at most 2048'],
    ['https://localhost/', 'loopback'],
    ['https://127.0.0.1/', 'loopback'],
    ['https://[::1]/', 'loopback'],
    ['https://10.1.2.3/', 'private'],
    ['https://192.168.0.1/', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'private'],
    ['https://[fd00::1]/', 'private'],
    ['https://0.0.0.0/', 'private'],
  ])('refuses %j (%s)', (url, why) => expect(webhookUrlProblem(url, services)).toContain(why));

  it('refuses what is not a string', () => expect(webhookUrlProblem(42, services)).not.toBeNull());

  it('the embedded profile allows loopback receivers, over http too', () => {
    for (const url of [
      'http://127.0.0.1:4000/hook',
      'http://localhost:4000/',
      'http://[::1]:4000/',
      'https://127.0.0.1/',
    ])
      expect(webhookUrlProblem(url, embedded)).toBeNull();
  });

  it('the embedded profile still refuses http anywhere else', () =>
    expect(webhookUrlProblem('http://hooks.example.com/', embedded)).toContain('https'));
});

describe('the address a receiver’s host name resolved to, checked at send time (rule NOT-11)', () => {
  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])('connects to the public address %s', (address) =>
    expect(webhookAddressProblem(address, services)).toBeNull(),
  );

  it.each([
    '10.0.0.5',
    '172.16.3.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    'fd00::1',
    'fe80::1',
    '::',
  ])('refuses the internal address %s, in every profile', (address) => {
    expect(webhookAddressProblem(address, services)).toContain('private');
    expect(webhookAddressProblem(address, embedded)).toContain('private');
  });

  it.each(['127.0.0.1', '127.1.2.3', '::1'])(
    'refuses the loopback address %s unless the profile allows it',
    (address) => {
      expect(webhookAddressProblem(address, services)).toContain('loopback');
      expect(webhookAddressProblem(address, embedded)).toBeNull();
    },
  );
});
