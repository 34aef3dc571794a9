import { Controller, type ExecutionContext, Get, type INestApplication, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { type CryptoKey, type JWTPayload, SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { CurrentPrincipal, Public, Roles, Scopes } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import { AuthModule } from './auth.module';
import { type AuthOptionsInput, parseAuthOptions } from './auth.options';
import { AuthProblemException } from './auth.problems';
import { TokenVerifier } from './token-verifier';
import type { Principal } from './principal';

// ---------------------------------------------------------------------------------------------
// A tiny service: what the guard protects. Keys are generated per run; nothing secret is committed.
// ---------------------------------------------------------------------------------------------

@Controller('t')
class ProbeController {
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Public()
  @Get('open')
  open(): { ok: true } {
    return { ok: true };
  }

  @Roles('schedule-manager', 'oc-admin')
  @Get('manage')
  manage(): { ok: true } {
    return { ok: true };
  }

  @Scopes('schedules:write', 'schedules:read')
  @Post('write')
  write(): { ok: true } {
    return { ok: true };
  }
}

@Public()
@Controller('health')
class OpenController {
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

const ISSUER = 'https://idp.podium.test';
const AUDIENCE = 'podium-api';
const DEV_SECRET = 'a-test-only-dev-secret-of-at-least-32-chars';

async function appWith(options: AuthOptionsInput): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AuthModule.forRootAsync({ useFactory: () => options })],
    controllers: [ProbeController, OpenController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

interface SignOptions {
  alg: string;
  key: CryptoKey | Uint8Array;
  kid?: string;
  issuer?: string | null;
  audience?: string | null;
  /** seconds from now; null: no exp claim */
  expiresIn?: number | null;
  notBefore?: number;
}

async function sign(claims: JWTPayload, o: SignOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: o.alg, ...(o.kid ? { kid: o.kid } : {}) }).setIssuedAt(now);
  const issuer = o.issuer === undefined ? ISSUER : o.issuer;
  const audience = o.audience === undefined ? AUDIENCE : o.audience;
  if (issuer !== null) jwt.setIssuer(issuer);
  if (audience !== null) jwt.setAudience(audience);
  const expiresIn = o.expiresIn === undefined ? 300 : o.expiresIn;
  if (expiresIn !== null) jwt.setExpirationTime(now + expiresIn);
  if (o.notBefore !== undefined) jwt.setNotBefore(now + o.notBefore);
  return jwt.sign(o.key);
}

const manager = { sub: 'alice', roles: ['schedule-manager'], noc: 'jpn', org: 'OC', scope: 'schedules:read schedules:write' };

function expectProblem(res: request.Response, status: number, slug: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(
    expect.objectContaining({ type: `https://podium.dev/problems/${slug}`, status, title: expect.any(String), detail: expect.any(String) }),
  );
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
}

describe('AuthGuard, public-key mode (ES256)', () => {
  let app: INestApplication;
  let privateKey: CryptoKey;
  let otherPrivateKey: CryptoKey;
  const as = (claims: JWTPayload, o: Partial<SignOptions> = {}): Promise<string> =>
    sign(claims, { alg: 'ES256', key: privateKey, ...o });

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    otherPrivateKey = (await generateKeyPair('ES256')).privateKey;
    app = await appWith({ mode: 'public-key', publicKey: await exportSPKI(pair.publicKey), issuer: ISSUER, audience: AUDIENCE });
  });
  afterAll(() => app.close());

  it('answers 401 with a bare Bearer challenge when there is no token', async () => {
    const res = await request(app.getHttpServer()).get('/t/me');
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="podium"');
  });

  it('answers 401 invalid_token for a non-Bearer Authorization header', async () => {
    const res = await request(app.getHttpServer()).get('/t/me').set('Authorization', 'Basic YWxpY2U6c2VjcmV0');
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="podium", error="invalid_token"/);
  });

  it('answers 401 for a malformed token', async () => {
    const res = await request(app.getHttpServer()).get('/t/me').set('Authorization', 'Bearer not.a-jwt');
    expectProblem(res, 401, 'unauthorized');
    expect(res.body.detail).toBe('malformed token');
  });

  it('answers 401 for a token signed by another key', async () => {
    const token = await as(manager, { key: otherPrivateKey });
    const res = await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' });
    expectProblem(res, 401, 'unauthorized');
    expect(res.body.detail).toBe('signature verification failed');
  });

  it('answers 401 for an expired token (beyond the clock tolerance)', async () => {
    const token = await as(manager, { expiresIn: -60 });
    const res = await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' });
    expectProblem(res, 401, 'unauthorized');
    expect(res.body.detail).toBe('token expired');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="podium", error="invalid_token", error_description="token expired"');
  });

  it('accepts a token expired by less than the clock tolerance', async () => {
    const token = await as(manager, { expiresIn: -2 });
    await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' }).expect(200);
  });

  it('answers 401 for a token not valid yet (nbf) and one without exp', async () => {
    const early = await as(manager, { notBefore: 120 });
    expectProblem(await request(app.getHttpServer()).get('/t/me').auth(early, { type: 'bearer' }), 401, 'unauthorized');
    const eternal = await as(manager, { expiresIn: null });
    const res = await request(app.getHttpServer()).get('/t/me').auth(eternal, { type: 'bearer' });
    expectProblem(res, 401, 'unauthorized');
    expect(res.body.detail).toMatch(/exp/);
  });

  it('answers 401 for a wrong issuer or audience', async () => {
    const wrongIss = await as(manager, { issuer: 'https://evil.test' });
    const r1 = await request(app.getHttpServer()).get('/t/me').auth(wrongIss, { type: 'bearer' });
    expectProblem(r1, 401, 'unauthorized');
    expect(r1.body.detail).toMatch(/iss/);
    const wrongAud = await as(manager, { audience: 'another-api' });
    const r2 = await request(app.getHttpServer()).get('/t/me').auth(wrongAud, { type: 'bearer' });
    expectProblem(r2, 401, 'unauthorized');
    expect(r2.body.detail).toMatch(/aud/);
  });

  it('refuses an HS256 token (dev tokens never pass outside dev mode)', async () => {
    const token = await sign(manager, { alg: 'HS256', key: new TextEncoder().encode(DEV_SECRET) });
    const res = await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' });
    expectProblem(res, 401, 'unauthorized');
    expect(res.body.detail).toBe('token algorithm not allowed');
  });

  it('maps the claims to the principal: noc uppercased, scope split', async () => {
    const token = await as(manager);
    const res = await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' }).expect(200);
    expect(res.body).toEqual({
      sub: 'alice',
      roles: ['schedule-manager'],
      noc: 'JPN',
      org: 'OC',
      scopes: ['schedules:read', 'schedules:write'],
    });
  });

  it('answers 401 when the claims are not valid (bad noc, roles not a list, no sub)', async () => {
    for (const claims of [
      { ...manager, noc: 'JAPAN' },
      { ...manager, roles: 'schedule-manager' },
      { roles: ['oc-admin'] },
    ]) {
      const res = await request(app.getHttpServer()).get('/t/me').auth(await as(claims), { type: 'bearer' });
      expectProblem(res, 401, 'unauthorized');
    }
  });

  it('lets @Public() routes and controllers through without a token', async () => {
    await request(app.getHttpServer()).get('/t/open').expect(200, { ok: true });
    await request(app.getHttpServer()).get('/health').expect(200, { status: 'ok' });
  });

  it('answers 403 when none of the @Roles() match, 200 when one does', async () => {
    const observer = await as({ sub: 'bob', roles: ['ioc-observer'] });
    const res = await request(app.getHttpServer()).get('/t/manage').auth(observer, { type: 'bearer' });
    expectProblem(res, 403, 'forbidden');
    expect(res.body.detail).toBe('requires one of the roles: schedule-manager, oc-admin');
    await request(app.getHttpServer()).get('/t/manage').auth(await as(manager), { type: 'bearer' }).expect(200);
    const admin = await as({ sub: 'carol', roles: ['oc-admin'] });
    await request(app.getHttpServer()).get('/t/manage').auth(admin, { type: 'bearer' }).expect(200);
  });

  it('answers 403 insufficient_scope when a @Scopes() scope is missing, 200 with all of them', async () => {
    const readOnly = await as({ sub: 'dan', roles: [], scope: 'schedules:read' });
    const res = await request(app.getHttpServer()).post('/t/write').auth(readOnly, { type: 'bearer' });
    expectProblem(res, 403, 'forbidden');
    expect(res.body.detail).toBe('missing scopes: schedules:write');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="podium", error="insufficient_scope", scope="schedules:write schedules:read"');
    const arrayScopes = await as({ sub: 'eve', scp: ['schedules:write', 'schedules:read'] });
    await request(app.getHttpServer()).post('/t/write').auth(arrayScopes, { type: 'bearer' }).expect(201);
  });
});

describe('AuthGuard, public-key mode with other key types', () => {
  it.each([
    ['RS256', 'RS256'],
    ['EdDSA', 'EdDSA'],
  ])('verifies %s tokens', async (generateAlg, alg) => {
    const pair = await generateKeyPair(generateAlg);
    const app = await appWith({ mode: 'public-key', publicKey: await exportSPKI(pair.publicKey) });
    try {
      const token = await sign({ sub: 'alice' }, { alg, key: pair.privateKey, issuer: null, audience: null });
      await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' }).expect(200);
    } finally {
      await app.close();
    }
  });

  it('fails at boot when the key cannot verify any allowed algorithm', async () => {
    const pair = await generateKeyPair('ES256');
    await expect(appWith({ mode: 'public-key', publicKey: await exportSPKI(pair.publicKey), algorithms: ['RS256'] })).rejects.toThrow(
      /can verify ES256, but AUTH_ALGORITHMS allows only RS256/,
    );
  });
});

describe('AuthGuard, dev mode (HS256)', () => {
  let app: INestApplication;
  const secret = new TextEncoder().encode(DEV_SECRET);
  beforeAll(async () => {
    app = await appWith({ mode: 'dev', devSecret: DEV_SECRET });
  });
  afterAll(() => app.close());

  it('accepts HS256 tokens signed with the dev secret', async () => {
    const token = await sign(manager, { alg: 'HS256', key: secret, issuer: null, audience: null });
    const res = await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' }).expect(200);
    expect(res.body.sub).toBe('alice');
  });

  it('refuses HS256 tokens signed with another secret', async () => {
    const other = new TextEncoder().encode('another-secret-that-is-long-enough-1234');
    const token = await sign(manager, { alg: 'HS256', key: other });
    expectProblem(await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' }), 401, 'unauthorized');
  });

  it('refuses to start with a short secret', async () => {
    await expect(appWith({ mode: 'dev', devSecret: 'short' })).rejects.toThrow(/devSecret: must be at least 32 characters/);
  });
});

describe('AuthGuard, jwks mode', () => {
  let app: INestApplication;
  let server: Server;
  let fetches = 0;
  let failing = false;
  const keys: Array<{ kid: string; privateKey: CryptoKey; jwk: Record<string, unknown> }> = [];

  async function addKey(kid: string): Promise<CryptoKey> {
    const pair = await generateKeyPair('RS256');
    keys.push({ kid, privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } });
    return pair.privateKey;
  }

  beforeAll(async () => {
    await addKey('k1');
    server = createServer((req, res) => {
      fetches += 1;
      if (failing || req.url !== '/.well-known/jwks.json') {
        res.writeHead(failing ? 500 : 404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    app = await appWith({
      mode: 'jwks',
      jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksCooldownMs: 0,
    });
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('verifies tokens against the served key set and caches it', async () => {
    const key = keys[0]!;
    const token = await sign(manager, { alg: 'RS256', key: key.privateKey, kid: 'k1' });
    const before = fetches;
    await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' }).expect(200);
    await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' }).expect(200);
    expect(fetches - before).toBe(1);
  });

  it('refetches the key set for an unknown kid (key rotation)', async () => {
    const rotated = await addKey('k2');
    const token = await sign(manager, { alg: 'RS256', key: rotated, kid: 'k2' });
    const before = fetches;
    await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' }).expect(200);
    expect(fetches - before).toBe(1);
  });

  it('answers 401 for a kid the key set does not have', async () => {
    const stray = (await generateKeyPair('RS256')).privateKey;
    const token = await sign(manager, { alg: 'RS256', key: stray, kid: 'unknown' });
    const res = await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' });
    expectProblem(res, 401, 'unauthorized');
    expect(res.body.detail).toBe('no key matches the token (kid/alg)');
  });

  it('answers 503 when the key set cannot be fetched', async () => {
    failing = true;
    try {
      const stray = (await generateKeyPair('RS256')).privateKey;
      const token = await sign(manager, { alg: 'RS256', key: stray, kid: 'k3' });
      const res = await request(app.getHttpServer()).get('/t/me').auth(token, { type: 'bearer' });
      expectProblem(res, 503, 'auth-unavailable');
    } finally {
      failing = false;
    }
  });
});

describe('AuthGuard, other transports', () => {
  const guard = new AuthGuard(new Reflector(), new TokenVerifier(parseAuthOptions({ mode: 'dev', devSecret: DEV_SECRET })));
  const wsContext = (handler: () => void): ExecutionContext =>
    ({ getType: () => 'ws', getHandler: () => handler, getClass: () => OpenController }) as unknown as ExecutionContext;

  it('refuses a non-HTTP handler unless it is public (closed by default)', async () => {
    class Gateway {
      onMessage(): string {
        return 'pong';
      }
    }
    const closed = { getType: () => 'ws', getHandler: () => Gateway.prototype.onMessage, getClass: () => Gateway } as unknown as ExecutionContext;
    await expect(guard.canActivate(closed)).rejects.toBeInstanceOf(AuthProblemException);
    await expect(guard.canActivate(wsContext(OpenController.prototype.health))).resolves.toBe(true);
  });
});
