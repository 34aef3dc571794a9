import { SignJWT } from 'jose';
import { AuthConfigError, parseAuthOptions } from './auth.options';
import { TokenVerificationError, TokenVerifier } from './token-verifier';

const SECRET = 'a-dev-secret-that-is-long-enough-for-tests-0123';
const START = Date.parse('2026-12-03T08:00:00Z');

function token(expiresInSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: ['oc-admin'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setIssuedAt(now)
    .setExpirationTime(now + expiresInSeconds)
    .sign(new TextEncoder().encode(SECRET));
}

describe('TokenVerifier: verified tokens kept for a while', () => {
  let verifier: TokenVerifier;

  beforeEach(() => {
    jest.useFakeTimers({ now: START, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    verifier = new TokenVerifier(parseAuthOptions({ mode: 'dev', devSecret: SECRET, clockToleranceSeconds: 5 }));
  });

  afterEach(() => jest.useRealTimers());

  it('answers the same token again from memory, with a principal nobody can change', async () => {
    const t = await token(3600);
    const first = await verifier.verify(t);
    const second = await verifier.verify(t);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toMatchObject({ sub: 'alice', roles: ['oc-admin'] });
  });

  it('verifies again after a minute, and never accepts a token past what verifying would accept', async () => {
    const long = await token(3600);
    const first = await verifier.verify(long);
    jest.setSystemTime(START + 61_000);
    expect(await verifier.verify(long)).not.toBe(first);

    jest.setSystemTime(START);
    const short = await token(10);
    await verifier.verify(short);
    jest.setSystemTime(START + 16_000); // past exp and the 5 s clock tolerance
    await expect(verifier.verify(short)).rejects.toThrow(new TokenVerificationError('invalid', 'token expired'));
  });

  it('keeps nothing of a token it refused', async () => {
    const forged = await new SignJWT({ roles: ['oc-admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-that-is-long-enough-0123456'));
    await expect(verifier.verify(forged)).rejects.toThrow(TokenVerificationError);
    await expect(verifier.verify(forged)).rejects.toThrow(TokenVerificationError);
  });
});

describe('TokenVerifier: dev mode is local only', () => {
  const saved = { NODE_ENV: process.env['NODE_ENV'], PODIUM_LOCAL_DEV: process.env['PODIUM_LOCAL_DEV'] };

  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  const devVerifier = () => new TokenVerifier(parseAuthOptions({ mode: 'dev', devSecret: SECRET }));

  it('starts in dev mode in a local, opted-in process (this suite: NODE_ENV=test, PODIUM_LOCAL_DEV=true)', () => {
    expect(devVerifier().mode).toBe('dev');
  });

  it('refuses dev mode, however its options were built, when the process is not opted in or not local', () => {
    delete process.env['PODIUM_LOCAL_DEV'];
    expect(devVerifier).toThrow(AuthConfigError);
    expect(devVerifier).toThrow('AUTH_MODE=dev is for local development only');
    process.env['PODIUM_LOCAL_DEV'] = 'true';
    process.env['NODE_ENV'] = 'rehearsal';
    expect(devVerifier).toThrow('(PODIUM_LOCAL_DEV=true, NODE_ENV=rehearsal)');
  });
});
