import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';

/** A key pair whose public half a tenant registers, as its intranet backend would. */
interface RegisteredKey {
  keyId: string;
  privateKey: KeyObject;
  publicPem: string;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

forEachDatabase('embed tokens an attacker might send', (open) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let otherTenant: TestTenant;
  let adminToken: string;
  let rsaKey: RegisteredKey;
  let ecKey: RegisteredKey;

  before(async () => {
    lectern = await startTestLectern(await open());
    tenant = await lectern.createTenant();
    otherTenant = await lectern.createTenant();
    adminToken = (await lectern.signIn(tenant, ['admin'])).token;
    rsaKey = await registerKey('RS256');
    ecKey = await registerKey('ES256');
  });
  after(() => lectern.stop());

  async function registerKey(algorithm: 'RS256' | 'ES256'): Promise<RegisteredKey> {
    const { privateKey, publicKey } =
      algorithm === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const answer = await lectern.request('POST', '/api/v1/embed-keys', {
      token: adminToken,
      body: { algorithm, publicKey: publicPem },
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return { keyId: answer.body.id, privateKey, publicPem };
  }

  /**
   * Signs claims laid over a valid default; a claim given as undefined is left out. The key
   * and kid default to the tenant's own HS256 secret.
   */
  function mint(
    claims: Record<string, unknown> = {},
    signing: { key?: string | KeyObject; algorithm?: jwt.Algorithm; kid?: string } = {},
  ): string {
    const now = nowSeconds();
    const laid = {
      sub: 'employee-1',
      roles: ['viewer'],
      aud: lectern.audience,
      iat: now,
      exp: now + 300,
      ...claims,
    };
    const payload = Object.fromEntries(
      Object.entries(laid).filter(([, value]) => value !== undefined),
    );
    const kid = 'kid' in signing ? signing.kid : tenant.keyId;
    return jwt.sign(payload, signing.key ?? tenant.secret, {
      algorithm: signing.algorithm ?? 'HS256',
      ...(kid === undefined ? {} : { keyid: kid }),
      // jsonwebtoken adds iat unless told not to; a test that leaves iat out means it.
      ...('iat' in payload ? {} : { noTimestamp: true }),
    });
  }

  async function userCount(): Promise<number> {
    const [row] = await lectern.db('users').count({ count: '*' });
    return Number(row?.count);
  }

  /** Asserts the exchange answers 401 with `code` and that nobody was signed in. */
  async function refused(token: string, code: string): Promise<void> {
    const usersBefore = await userCount();
    const answer = await lectern.request('POST', '/api/v1/sessions', { body: { token } });
    assert.deepEqual(
      { status: answer.status, code: answer.body?.error?.code },
      { status: 401, code },
    );
    assert.equal(answer.body.token, undefined);
    assert.equal(await userCount(), usersBefore, 'a refused token created a user');
  }

  async function exchange(token: string) {
    const answer = await lectern.request('POST', '/api/v1/sessions', { body: { token } });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body as {
      token: string;
      user: { id: string; tenantId: string; roles: string[] };
    };
  }

  describe('the exchange accepts', () => {
    it('an HS256 token signed with the tenant secret', async () => {
      const session = await exchange(mint({ sub: 'hs-user', roles: ['author'] }));
      assert.equal(session.user.tenantId, tenant.id);
      assert.deepEqual(session.user.roles, ['author']);
      const me = await lectern.request('GET', '/api/v1/session', { token: session.token });
      assert.equal(me.status, 200);
      assert.equal(me.body.user.id, session.user.id);
    });

    it('an RS256 token once the tenant has registered its RSA public key', async () => {
      const token = mint(
        { sub: 'rs-user', roles: ['critic'] },
        { key: rsaKey.privateKey, algorithm: 'RS256', kid: rsaKey.keyId },
      );
      const session = await exchange(token);
      assert.equal(session.user.tenantId, tenant.id);
      assert.deepEqual(session.user.roles, ['critic']);
    });

    it('an ES256 token once the tenant has registered its P-256 public key', async () => {
      const token = mint(
        { sub: 'es-user', roles: ['trainer'] },
        { key: ecKey.privateKey, algorithm: 'ES256', kid: ecKey.keyId },
      );
      const session = await exchange(token);
      assert.equal(session.user.tenantId, tenant.id);
      assert.deepEqual(session.user.roles, ['trainer']);
    });

    it('a token of another tenant only as a user of that other tenant', async () => {
      const token = mint({ sub: 'hs-user' }, { key: otherTenant.secret, kid: otherTenant.keyId });
      const session = await exchange(token);
      assert.equal(session.user.tenantId, otherTenant.id);
    });
  });

  describe('the exchange refuses, with 401 and without creating a user,', () => {
    it('an expired token', async () => {
      const now = nowSeconds();
      await refused(mint({ iat: now - 400, exp: now - 100 }), 'embed_token.expired');
    });

    it('a token meant for another audience', async () => {
      await refused(mint({ aud: 'https://lectern.elsewhere.example' }), 'embed_token.audience');
    });

    it('a token that names no audience', async () => {
      await refused(mint({ aud: undefined }), 'embed_token.audience');
    });

    it('an unsigned token (alg "none") naming the tenant key', async () => {
      const now = nowSeconds();
      const header = { alg: 'none', typ: 'JWT', kid: tenant.keyId };
      const payload = {
        sub: 'intruder',
        roles: ['admin'],
        aud: lectern.audience,
        iat: now,
        exp: now + 300,
      };
      await refused(`${base64url(header)}.${base64url(payload)}.`, 'embed_token.algorithm');
    });

    it("an HS256 token keyed with an RS256 key's public PEM (algorithm confusion)", async () => {
      const now = nowSeconds();
      const header = base64url({ alg: 'HS256', typ: 'JWT', kid: rsaKey.keyId });
      const payload = base64url({
        sub: 'intruder',
        roles: ['admin'],
        aud: lectern.audience,
        iat: now,
        exp: now + 300,
      });
      const signature = createHmac('sha256', rsaKey.publicPem)
        .update(`${header}.${payload}`)
        .digest('base64url');
      await refused(`${header}.${payload}.${signature}`, 'embed_token.algorithm');
    });

    it('an RS256 token signed with a private key other than the registered one', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const token = mint({}, { key: privateKey, algorithm: 'RS256', kid: rsaKey.keyId });
      await refused(token, 'embed_token.signature');
    });

    it('an RS256 token presented to a registered ES256 key', async () => {
      const token = mint({}, { key: rsaKey.privateKey, algorithm: 'RS256', kid: ecKey.keyId });
      await refused(token, 'embed_token.algorithm');
    });

    it("a token signed with another tenant's secret that names this tenant's key", async () => {
      await refused(mint({}, { key: otherTenant.secret }), 'embed_token.signature');
    });

    it('a token naming a key that does not exist', async () => {
      await refused(mint({}, { kid: 'ek_doesNotExist0' }), 'embed_token.unknown_key');
    });

    it('a token naming no key at all', async () => {
      await refused(mint({}, { kid: undefined }), 'embed_token.unknown_key');
    });

    it('a token whose kid carries a NUL byte', async () => {
      await refused(mint({}, { kid: `${tenant.keyId}\u0000` }), 'embed_token.unknown_key');
    });

    it('strings that are not JWTs', async () => {
      for (const garbage of ['abc', 'a.b.c', '...', randomBytes(300).toString('base64')]) {
        await refused(garbage, 'embed_token.malformed');
      }
    });

    it('a JWT whose payload is not JSON', async () => {
      const header = base64url({ alg: 'HS256', typ: 'JWT', kid: tenant.keyId });
      const payload = Buffer.from('not json').toString('base64url');
      const signature = createHmac('sha256', tenant.secret)
        .update(`${header}.${payload}`)
        .digest('base64url');
      await refused(`${header}.${payload}.${signature}`, 'embed_token.malformed');
    });

    it('a token that lives longer than 600 seconds', async () => {
      const now = nowSeconds();
      await refused(mint({ iat: now, exp: now + 601 }), 'embed_token.lifetime');
    });

    it('a token without an expiry', async () => {
      await refused(mint({ exp: undefined }), 'embed_token.lifetime');
    });

    it('a token without an issue time', async () => {
      await refused(mint({ iat: undefined }), 'embed_token.lifetime');
    });

    it('a token issued 10 minutes in the future', async () => {
      const now = nowSeconds();
      await refused(mint({ iat: now + 600, exp: now + 900 }), 'embed_token.not_yet_valid');
    });

    it('a token that is not valid before a time still ahead', async () => {
      await refused(mint({ nbf: nowSeconds() + 120 }), 'embed_token.not_yet_valid');
    });

    it('a token without a subject', async () => {
      await refused(mint({ sub: undefined }), 'embed_token.claims');
    });

    it('a token whose subject carries a NUL byte', async () => {
      await refused(mint({ sub: 'employee\u00001' }), 'embed_token.claims');
    });

    it('a token asserting a role Lectern does not know', async () => {
      await refused(mint({ roles: ['viewer', 'superuser'] }), 'embed_token.claims');
    });

    it('a token longer than 8192 characters', async () => {
      const token = mint({ padding: 'x'.repeat(8192) });
      assert.ok(token.length > 8192);
      await refused(token, 'embed_token.too_large');
    });

    it('a token signed with an embed key the tenant has revoked', async () => {
      const created = await lectern.request('POST', '/api/v1/embed-keys', {
        token: adminToken,
        body: { algorithm: 'HS256' },
      });
      assert.equal(created.status, 201);
      const signing = { key: created.body.secret as string, kid: created.body.id as string };
      await exchange(mint({ sub: 'before-revocation' }, signing));

      const revoked = await lectern.request('DELETE', `/api/v1/embed-keys/${signing.kid}`, {
        token: adminToken,
      });
      assert.equal(revoked.status, 204);
      await refused(mint({ sub: 'after-revocation' }, signing), 'embed_token.unknown_key');
    });

    it('a valid token whose payload was changed to claim admin', async () => {
      const [header, , signature] = mint({ sub: 'tamperer', roles: ['viewer'] }).split('.');
      const now = nowSeconds();
      const forged = base64url({
        sub: 'tamperer',
        roles: ['admin'],
        aud: lectern.audience,
        iat: now,
        exp: now + 300,
      });
      await refused(`${header}.${forged}.${signature}`, 'embed_token.signature');
    });
  });

  it('an empty token is refused as an invalid request before any key is looked up', async () => {
    const usersBefore = await userCount();
    const answer = await lectern.request('POST', '/api/v1/sessions', { body: { token: '' } });
    assert.deepEqual(
      { status: answer.status, code: answer.body?.error?.code },
      { status: 400, code: 'request.invalid' },
    );
    assert.equal(await userCount(), usersBefore);
  });
});
