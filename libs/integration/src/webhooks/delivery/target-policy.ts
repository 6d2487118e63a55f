import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { normaliseHost } from '../webhook-settings';

/**
 * Where a webhook may be sent (issue 15, SSRF): `https` only, to addresses that are public, unless the
 * URL's host is listed in WASTEFLOW_WEBHOOK_ALLOWED_HOSTS (then plain http and loopback or private
 * addresses too). Checked when a subscription is created or changed, and again on every connection by
 * the resolver the request uses (`guardedLookup`), so a name that later resolves to a private address
 * (DNS rebinding) is refused at delivery too.
 */

/** Ranges no webhook goes to unless its host is allowed: loopback, private, link-local, CGNAT, multicast … */
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');
}

/** True when `address` (an IP literal) is loopback, private or otherwise not a public internet address. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return NOT_PUBLIC.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return NOT_PUBLIC.check(mapped[1], 'ipv4');
    return NOT_PUBLIC.check(address, 'ipv6');
  }
  return true;
}

/** Why a target is refused, in words a subscriber can act on. */
export class TargetRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TargetRefused';
  }
}

export interface TargetPolicy {
  readonly allowedHosts: readonly string[];
}

/** The URL's shape and scheme (no resolution). Throws TargetRefused. */
export function checkTargetUrl(policy: TargetPolicy, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('url must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TargetRefused('url must be an https URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw new TargetRefused('url must not carry credentials (the signature authenticates the sender)');
  }
  const allowed = isAllowedHost(policy, url.hostname);
  if (url.protocol === 'http:' && !allowed) {
    throw new TargetRefused(
      `url must be https (plain http only for the hosts of WASTEFLOW_WEBHOOK_ALLOWED_HOSTS, not ${url.hostname})`,
    );
  }
  const host = normaliseHost(url.hostname);
  if (!allowed && isIP(host) !== 0 && isNonPublicAddress(host)) {
    throw new TargetRefused(`url must not point at a loopback or private address (${host})`);
  }
  return url;
}

export function isAllowedHost(policy: TargetPolicy, hostname: string): boolean {
  return policy.allowedHosts.includes(normaliseHost(hostname));
}

export type Resolver = (host: string) => Promise<readonly string[]>;

/** The system resolver: every address of `host`. */
export const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses: LookupAddress[]) =>
      error ? reject(error) : resolve(addresses.map((a) => a.address)),
    ),
  );

/** `checkTargetUrl`, then every address the host resolves to must be public (unless the host is allowed). */
export async function checkTarget(
  policy: TargetPolicy,
  raw: string,
  resolve: Resolver = systemResolver,
): Promise<URL> {
  const url = checkTargetUrl(policy, raw);
  if (isAllowedHost(policy, url.hostname)) return url;
  const host = normaliseHost(url.hostname);
  if (isIP(host) !== 0) return url;
  let addresses: readonly string[];
  try {
    addresses = await resolve(host);
  } catch {
    throw new TargetRefused(`url's host ${host} does not resolve`);
  }
  const inner = addresses.find(isNonPublicAddress);
  if (inner !== undefined) {
    throw new TargetRefused(`url's host ${host} resolves to a loopback or private address (${inner})`);
  }
  return url;
}

/**
 * A `lookup` for http(s).request that refuses non-public addresses for hosts that are not allowed: the
 * check is on the address the socket connects to, not on an earlier resolution.
 */
export function guardedLookup(policy: TargetPolicy) {
  return (
    hostname: string,
    options: object,
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '');
      if (!isAllowedHost(policy, hostname)) {
        const inner = addresses.find((a) => isNonPublicAddress(a.address));
        if (inner !== undefined) {
          return callback(
            Object.assign(
              new Error(`refused: ${hostname} resolves to a non-public address ${inner.address}`),
              {
                code: 'EWEBHOOKTARGET',
              },
            ),
            '',
          );
        }
      }
      const all = (options as { all?: boolean }).all === true;
      if (all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
