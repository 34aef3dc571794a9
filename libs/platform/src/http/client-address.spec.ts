import { clientAddress, normalizeAddress, parseTrustedProxies, type TrustedProxies } from './client-address';

function proxies(value: string): TrustedProxies {
  const parsed = parseTrustedProxies(value);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.proxies;
}

describe('parseTrustedProxies', () => {
  it('accepts none, named ranges, addresses and CIDR blocks', () => {
    expect(proxies('none')).toBeNull();
    const list = proxies('loopback, 203.0.113.0/24,2001:db8::/32 ,198.51.100.7');
    expect(list?.check('127.0.0.1')).toBe(true);
    expect(list?.check('203.0.113.200')).toBe(true);
    expect(list?.check('198.51.100.7')).toBe(true);
    expect(list?.check('198.51.100.8')).toBe(false);
    expect(list?.check('2001:db8::1', 'ipv6')).toBe(true);
    expect(list?.check('10.0.0.1')).toBe(false);
    const privateRanges = proxies('private');
    for (const address of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1']) {
      expect(privateRanges?.check(address)).toBe(true);
    }
    expect(privateRanges?.check('172.32.0.1')).toBe(false);
    expect(privateRanges?.check('fd12::1', 'ipv6')).toBe(true);
  });

  it('names the entry it cannot read', () => {
    const cases: [string, string][] = [
      ['10.0.0.0/33', "'10.0.0.0/33'"],
      ['proxy.example.org', "'proxy.example.org'"],
      ['10.0.0.1/8/1', "'10.0.0.1/8/1'"],
      ['10.0.0.0/x', "'10.0.0.0/x'"],
      ['nobody,none', "'nobody'"],
      [',', "expected 'none'"],
    ];
    for (const [value, message] of cases) {
      const parsed = parseTrustedProxies(value);
      expect(parsed).toEqual({ ok: false, error: expect.stringContaining(message) });
    }
  });
});

describe('clientAddress', () => {
  const loopbackAndPrivate = proxies('loopback,private');

  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', null)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', '198.51.100.1', null)).toBe('127.0.0.1');
  });

  it('is the peer when the peer is not a trusted proxy (a client cannot choose its address)', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', loopbackAndPrivate)).toBe('203.0.113.9');
  });

  it('behind trusted proxies, is the rightmost address that is not one of them', () => {
    // The client forged two entries; the ingress (10.0.0.5) appended the address it saw (203.0.113.9).
    expect(clientAddress('10.0.0.5', '1.1.1.1, 2.2.2.2, 203.0.113.9', loopbackAndPrivate)).toBe('203.0.113.9');
    // Two trusted hops: a node proxy then the ingress.
    expect(clientAddress('10.0.0.5', ['203.0.113.9, 10.0.0.7', '10.0.0.6'], loopbackAndPrivate)).toBe('203.0.113.9');
    // Only trusted hops: the furthest one.
    expect(clientAddress('10.0.0.5', '10.0.0.7', loopbackAndPrivate)).toBe('10.0.0.7');
    // No header: the proxy itself.
    expect(clientAddress('10.0.0.5', undefined, loopbackAndPrivate)).toBe('10.0.0.5');
    // Garbage ends the walk at the last address known.
    expect(clientAddress('10.0.0.5', 'nonsense', loopbackAndPrivate)).toBe('10.0.0.5');
  });

  it('treats an IPv4 peer on a dual-stack socket as IPv4', () => {
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddress('::ffff:127.0.0.1', '203.0.113.9', loopbackAndPrivate)).toBe('203.0.113.9');
    expect(normalizeAddress('[2001:DB8::1]')).toBe('2001:db8::1');
  });
});
