import dns from 'node:dns';
import net from 'node:net';

/**
 * Where a webhook may be sent: a guard against server-side request forgery
 * (a webhook pointed at the cloud's metadata service, the database, an admin
 * port on the private network). Checked when a webhook is saved and again at
 * every delivery on the address actually connected to, so a name that
 * resolved to a public address at save and to a private one later (DNS
 * rebinding) is refused too. Redirects are never followed.
 */
export interface TargetPolicy {
  /** NODE_ENV=production: only https. */
  httpsOnly: boolean;
  /** WEBHOOK_ALLOW_HOSTS: host names or addresses exempt from the address checks (an internal receiver, tests). */
  allowHosts: readonly string[];
  /** Resolves a host name to its addresses, at save and at each connection; the system's resolver when absent. */
  resolve?: Resolver;
}

/** Every address a host name resolves to now. */
export type Resolver = (hostname: string) => Promise<dns.LookupAddress[]>;

/** The system's resolver (getaddrinfo: /etc/hosts, then DNS), as http.request uses by default. */
export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true });

/** Outside the server (no configuration at hand): the strictest. */
export const STRICT_TARGETS: TargetPolicy = { httpsOnly: true, allowHosts: [] };

const RANGES: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', '"this network" (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'ipv4', 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'ipv4', 'shared carrier-grade NAT (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata lives here)'],
  ['172.16.0.0', 12, 'ipv4', 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments (192.0.0.0/24)'],
  ['192.168.0.0', 16, 'ipv4', 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking (198.18.0.0/15)'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved (240.0.0.0/4)'],
  ['::', 128, 'ipv6', 'unspecified (::)'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'unique local (fc00::/7)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
  ['64:ff9b::', 96, 'ipv6', 'NAT64 (64:ff9b::/96)'],
  // Forms that carry an IPv4 address inside (it could be a private one) or are not globally routed.
  ['::', 96, 'ipv6', 'IPv4-compatible (::/96)'],
  ['::ffff:0:0:0', 96, 'ipv6', 'IPv4-translated (::ffff:0:0:0/96)'],
  ['64:ff9b:1::', 48, 'ipv6', 'local-use NAT64 (64:ff9b:1::/48)'],
  ['100::', 64, 'ipv6', 'discard-only (100::/64)'],
  ['2001::', 32, 'ipv6', 'Teredo (2001::/32)'],
  ['2001:db8::', 32, 'ipv6', 'documentation (2001:db8::/32)'],
  ['2002::', 16, 'ipv6', '6to4 (2002::/16)'],
  ['fec0::', 10, 'ipv6', 'site-local (fec0::/10)'],
];
// One list per range, to name it. Node's BlockList matches IPv4 rules against IPv4-mapped IPv6 addresses too.
const LISTS = RANGES.map(([network, prefix, type, label]) => {
  const list = new net.BlockList();
  list.addSubnet(network, prefix, type);
  return { list, label };
});
// Not added to the lists above: an IPv6 rule for ::ffff:0:0/96 would match every IPv4 address.
const MAPPED = new net.BlockList();
MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

/** Why a webhook may not be sent to this IP address (e.g. "10.0.0.1 is a private (RFC 1918) address"), or null. */
export function forbiddenAddress(address: string): string | null {
  const family = net.isIP(address);
  if (!family) return `${address} is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (type === 'ipv6' && MAPPED.check(address, 'ipv6'))
    return `${address} is an IPv4-mapped IPv6 address, refused: give the IPv4 address or a host name`;
  const hit = LISTS.find(({ list }) => list.check(address, type));
  return hit ? `${address} is a ${hit.label} address` : null;
}

export interface Target {
  url: URL;
  /** The host name as compared with WEBHOOK_ALLOW_HOSTS: lower case, no brackets, no trailing dot. */
  host: string;
  /** Listed in WEBHOOK_ALLOW_HOSTS: the address checks do not apply. */
  allowed: boolean;
}

const hostOf = (url: URL) =>
  url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();

/** What is wrong with a target URL without resolving its name (scheme, credentials, a literal address, localhost). */
export function targetProblem(raw: string, policy: TargetPolicy): string | { target: Target } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw.slice(0, 200)}" is not a valid URL (expected https://host/path)`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `must be an http or https URL, got "${url.protocol}//"`;
  if (policy.httpsOnly && url.protocol !== 'https:') return 'must use https in production (NODE_ENV=production)';
  if (url.username || url.password) return 'must not contain a user name or password: the signature authenticates';
  const host = hostOf(url);
  const allowed = policy.allowHosts.includes(host);
  const target = { url, host, allowed };
  if (allowed) return { target };
  const allowHint = `; list "${host}" in WEBHOOK_ALLOW_HOSTS to allow it on purpose`;
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is a loopback name, refused${allowHint}`;
  if (net.isIP(host)) {
    const why = forbiddenAddress(host);
    if (why) return `${why}, refused${allowHint}`;
  }
  return { target };
}

/**
 * The check at save: the URL, then every address its name resolves to now
 * (the check at delivery is `guardedLookup`). A name that does not resolve is
 * refused: the mistake is likelier a typo than a host that will exist later.
 */
export async function checkTarget(raw: string, policy: TargetPolicy): Promise<string | null> {
  const checked = targetProblem(raw, policy);
  if (typeof checked === 'string') return checked;
  const { target } = checked;
  if (target.allowed || net.isIP(target.host)) return null;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await (policy.resolve ?? systemResolver)(target.host);
  } catch {
    return `${target.host} does not resolve to an address`;
  }
  for (const { address } of addresses) {
    const why = forbiddenAddress(address);
    if (why)
      return `${target.host} resolves to ${why}, refused; list "${target.host}" in WEBHOOK_ALLOW_HOSTS to allow it on purpose`;
  }
  return null;
}

export class TargetRefused extends Error {}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * The lookup http.request uses for a delivery: resolves the name (with
 * `resolve`, the resolver the check at save used) and refuses the connection
 * when an address is not allowed, so the address checked is the address
 * connected to. (A literal IP in the URL is not looked up: it is checked by
 * `targetProblem` before the request.)
 */
export function guardedLookup(target: Target, resolve: Resolver = systemResolver) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (found) => {
        const addresses = options.family ? found.filter((a) => a.family === options.family) : found;
        if (!addresses.length)
          return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
        const bad = target.allowed ? undefined : addresses.map((a) => forbiddenAddress(a.address)).find(Boolean);
        if (bad) return callback(new TargetRefused(`${hostname} resolves to ${bad}, refused`), []);
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
}
