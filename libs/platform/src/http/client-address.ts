import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

/**
 * Which client a connection or request belongs to, for per-address limits (results-distribution's
 * MAX_CONNECTIONS_PER_ADDRESS, the volunteers portal's rate limit): the peer's address, unless the peer is a
 * trusted proxy (TRUSTED_PROXIES), in which case the X-Forwarded-For it sent is read from the right: the first address
 * that is not itself a trusted proxy is the client (what the proxy nearest to us saw). Entries a client put in the
 * header itself sit to the left of those its proxies appended, so they are never reached while an untrusted address
 * stands to their right: a client cannot pass itself off as another one, unless it connects from a trusted address.
 */

/** Named ranges TRUSTED_PROXIES accepts besides addresses and CIDR blocks. */
const NAMED_RANGES: Record<string, readonly (readonly [string, number, 'ipv4' | 'ipv6'])[]> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  private: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
};

/** The trusted proxies (TRUSTED_PROXIES), or null for none. */
export type TrustedProxies = BlockList | null;

export type ParsedTrustedProxies = { readonly ok: true; readonly proxies: TrustedProxies } | { readonly ok: false; readonly error: string };

/** Parses TRUSTED_PROXIES (`none`, or a comma-separated list of named ranges, addresses and CIDR blocks). */
export function parseTrustedProxies(value: string): ParsedTrustedProxies {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 1 && entries[0]?.toLowerCase() === 'none') return { ok: true, proxies: null };
  if (entries.length === 0) return { ok: false, error: "expected 'none' or a comma-separated list of proxies" };
  const list = new BlockList();
  for (const entry of entries) {
    const named = NAMED_RANGES[entry.toLowerCase()];
    if (named) {
      for (const [network, prefix, family] of named) list.addSubnet(network, prefix, family);
      continue;
    }
    const [address = '', prefixText, ...rest] = entry.split('/');
    const version = isIP(address);
    const family = version === 6 ? 'ipv6' : 'ipv4';
    const maxPrefix = version === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    if (
      version === 0 ||
      rest.length > 0 ||
      (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) ||
      !Number.isInteger(prefix) ||
      prefix > maxPrefix
    ) {
      return {
        ok: false,
        error: `'${entry}' is neither an address, a CIDR block (e.g. 10.0.0.0/8) nor one of none, loopback, private, linklocal`,
      };
    }
    list.addSubnet(address, prefix, family);
  }
  return { ok: true, proxies: list };
}

/** `::ffff:10.1.2.3` (an IPv4 peer on a dual-stack socket) is 10.1.2.3; brackets and zone ids are dropped. */
export function normalizeAddress(address: string): string {
  let out = address.trim();
  if (out.startsWith('[') && out.endsWith(']')) out = out.slice(1, -1);
  const zone = out.indexOf('%');
  if (zone >= 0) out = out.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(out);
  return (mapped?.[1] ?? out).toLowerCase();
}

function isTrusted(proxies: BlockList, address: string): boolean {
  const version = isIP(address);
  return version !== 0 && proxies.check(address, version === 6 ? 'ipv6' : 'ipv4');
}

/** TRUSTED_PROXIES as a config variable: validated at boot (a clear error names the bad entry), kept as the text. */
export function trustedProxiesSchema() {
  return z.string().superRefine((value, ctx) => {
    const parsed = parseTrustedProxies(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  });
}

/**
 * The client address of a connection from `peer` (the socket's remote address) that carried `forwardedFor` (the
 * X-Forwarded-For header, possibly repeated); see the file comment.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | readonly string[] | undefined, proxies: TrustedProxies): string {
  let client = normalizeAddress(peer ?? 'unknown');
  if (proxies === null || forwardedFor === undefined || !isTrusted(proxies, client)) return client;
  const hops = (typeof forwardedFor === 'string' ? [forwardedFor] : forwardedFor).flatMap((header) => header.split(','));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i] ?? '');
    // Garbage in the header (not an address) ends the walk: the last proxy we trust is the client we know.
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!isTrusted(proxies, hop)) return client;
  }
  return client;
}
