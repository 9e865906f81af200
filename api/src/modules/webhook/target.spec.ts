import { forbiddenAddress, guardedLookup, targetProblem, type TargetPolicy } from './target';

const DEV: TargetPolicy = { httpsOnly: false, allowHosts: [] };

describe('webhook targets', () => {
  it.each([
    ['10.1.2.3', /private \(RFC 1918\)/],
    ['172.31.255.255', /private \(RFC 1918\)/],
    ['192.168.0.1', /private \(RFC 1918\)/],
    ['127.0.0.2', /loopback/],
    ['169.254.169.254', /link-local/],
    ['100.100.100.200', /carrier-grade NAT/],
    ['0.0.0.0', /"this network"/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['fc00::1', /unique local/],
    ['::ffff:8.8.8.8', /IPv4-mapped/],
    ['::ffff:a00:1', /IPv4-mapped/],
    ['::7f00:1', /IPv4-compatible/],
    ['::ffff:0:a00:1', /IPv4-translated/],
    ['64:ff9b:1::a00:1', /local-use NAT64/],
    ['2002:a00:1::1', /6to4/],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
    ['fec0::1', /site-local/],
    ['100::1', /discard-only/],
  ])('refuses %s', (address, why) => {
    expect(forbiddenAddress(address)).toMatch(why);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '2001:4860:4860::8888'])(
    'allows the public address %s',
    (address) => {
      expect(forbiddenAddress(address)).toBeNull();
    },
  );

  it('reads the address the URL parser reads (hex, decimal and short forms are normalised)', () => {
    expect(targetProblem('http://0x7f.1/', DEV)).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(targetProblem('http://2130706433/', DEV)).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(targetProblem('http://LOCALHOST./', DEV)).toMatch(/localhost is a loopback name/);
    expect(targetProblem('http://a.b.localhost/', DEV)).toMatch(/loopback name/);
  });

  it('exempts the allowed hosts from the address checks, never from https in production', () => {
    expect(targetProblem('http://127.0.0.1:9/', { httpsOnly: false, allowHosts: ['127.0.0.1'] })).toHaveProperty(
      'target.allowed',
      true,
    );
    expect(targetProblem('http://127.0.0.1:9/', { httpsOnly: true, allowHosts: ['127.0.0.1'] })).toMatch(/https/);
  });

  it('refuses at connection time a name that resolves to a forbidden address', async () => {
    const target = { url: new URL('http://localhost/'), host: 'localhost', allowed: false };
    const result = await new Promise<{ err: Error | null }>((resolve) =>
      guardedLookup(target)('localhost', {}, (err) => resolve({ err })),
    );
    expect(result.err?.message).toMatch(/localhost resolves to .* loopback address, refused/);
    const allowed = await new Promise<{ err: Error | null; address: unknown }>((resolve) =>
      guardedLookup({ ...target, allowed: true })('localhost', {}, (err, address) => resolve({ err, address })),
    );
    expect(allowed.err).toBeNull();
    expect(String(allowed.address)).toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
