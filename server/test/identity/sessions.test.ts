import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { forEachDatabase } from '../support/databases.ts';
import {
  startTestLectern,
  type Answer,
  type TestLectern,
  type TestTenant,
} from '../support/lectern.ts';

function assertRefused(answer: Answer, status: number, code: string): void {
  assert.deepEqual({ status: answer.status, code: answer.body?.error?.code }, { status, code });
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

forEachDatabase('sessions and API keys', (open) => {
  // Known to the test, so that it can mint session tokens the way the server does.
  const sessionSecret = randomBytes(32).toString('base64url');
  let lectern: TestLectern;
  let tenant: TestTenant;
  let admin: Awaited<ReturnType<TestLectern['signIn']>>;

  before(async () => {
    lectern = await startTestLectern(await open(), { LECTERN_SESSION_SECRET: sessionSecret });
    tenant = await lectern.createTenant();
    admin = await lectern.signIn(tenant, ['admin']);
  });
  after(() => lectern.stop());

  /** A session token as the server would sign it, with claims and options laid over. */
  function sessionToken(
    userId: string,
    options: jwt.SignOptions = {},
    secret: string = sessionSecret,
  ): string {
    return jwt.sign({ tid: tenant.id }, secret, {
      algorithm: 'HS256',
      audience: 'lectern:session',
      issuer: lectern.audience,
      subject: userId,
      expiresIn: 300,
      ...options,
    });
  }

  function whoAmI(headers: Record<string, string> = {}) {
    return lectern.request('GET', '/api/v1/session', { headers });
  }

  describe('session tokens', () => {
    it('a session token from the exchange works as a Bearer header', async () => {
      const viewer = await lectern.signIn(tenant, ['viewer']);
      const answer = await lectern.request('GET', '/api/v1/session', { token: viewer.token });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.user, {
        id: viewer.user.id,
        tenantId: tenant.id,
        roles: ['viewer'],
        kind: 'user',
      });
      assert.ok(Date.parse(answer.body.expiresAt) > Date.now());
    });

    it('a session minted with the server secret is accepted (the cases below differ in one thing)', async () => {
      const answer = await lectern.request('GET', '/api/v1/session', {
        token: sessionToken(admin.user.id),
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.user.id, admin.user.id);
    });

    it('an expired session answers auth.expired', async () => {
      const token = sessionToken(admin.user.id, { expiresIn: -10 });
      assertRefused(
        await lectern.request('GET', '/api/v1/session', { token }),
        401,
        'auth.expired',
      );
    });

    it('a session signed with another secret answers auth.invalid', async () => {
      const token = sessionToken(admin.user.id, {}, randomBytes(32).toString('base64url'));
      assertRefused(
        await lectern.request('GET', '/api/v1/session', { token }),
        401,
        'auth.invalid',
      );
    });

    it('a session issued by another Lectern answers auth.invalid', async () => {
      const token = sessionToken(admin.user.id, { issuer: 'https://other-lectern.example' });
      assertRefused(
        await lectern.request('GET', '/api/v1/session', { token }),
        401,
        'auth.invalid',
      );
    });

    it('a session for a user who does not exist answers auth.invalid', async () => {
      const token = sessionToken(randomUUID());
      assertRefused(
        await lectern.request('GET', '/api/v1/session', { token }),
        401,
        'auth.invalid',
      );
    });

    it('an unsigned session (alg "none") answers auth.invalid', async () => {
      const now = Math.floor(Date.now() / 1000);
      const header = base64url({ alg: 'none', typ: 'JWT' });
      const payload = base64url({
        tid: tenant.id,
        sub: admin.user.id,
        aud: 'lectern:session',
        iss: lectern.audience,
        iat: now,
        exp: now + 300,
      });
      const token = `${header}.${payload}.`;
      assertRefused(
        await lectern.request('GET', '/api/v1/session', { token }),
        401,
        'auth.invalid',
      );
    });

    it('an embed token is not a session token', async () => {
      const token = lectern.embedToken(tenant, { roles: ['admin'] });
      assertRefused(
        await lectern.request('GET', '/api/v1/session', { token }),
        401,
        'auth.invalid',
      );
    });

    it('a session token is not an embed token', async () => {
      const answer = await lectern.request('POST', '/api/v1/sessions', {
        body: { token: admin.token },
      });
      assertRefused(answer, 401, 'embed_token.unknown_key');
    });

    it('no Authorization header answers auth.missing', async () => {
      assertRefused(await whoAmI(), 401, 'auth.missing');
    });

    it('a Basic Authorization header answers auth.missing', async () => {
      const basic = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
      assertRefused(await whoAmI({ authorization: basic }), 401, 'auth.missing');
    });

    it('a Bearer header with nothing after it answers auth.missing', async () => {
      assertRefused(await whoAmI({ authorization: 'Bearer ' }), 401, 'auth.missing');
    });
  });

  describe('API keys', () => {
    async function createKey(label: string): Promise<{ id: string; key: string }> {
      const answer = await lectern.request('POST', '/api/v1/api-keys', {
        token: admin.token,
        body: { label },
      });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      return answer.body;
    }

    it("a created key acts as the tenant's backend, with the admin role", async () => {
      const { id, key } = await createKey('intranet backend');
      const answer = await lectern.request('GET', '/api/v1/session', { token: key });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.user, {
        id,
        tenantId: tenant.id,
        roles: ['admin'],
        kind: 'service',
      });
    });

    it('a revoked key answers api_key.invalid', async () => {
      const { id, key } = await createKey('to revoke');
      const revoked = await lectern.request('DELETE', `/api/v1/api-keys/${id}`, {
        token: admin.token,
      });
      assert.equal(revoked.status, 204);
      const answer = await lectern.request('GET', '/api/v1/session', { token: key });
      assertRefused(answer, 401, 'api_key.invalid');
    });

    it('a key with the right id and the wrong secret answers api_key.invalid', async () => {
      const { id } = await createKey('guessed');
      const guess = `lk_${id}_${randomBytes(32).toString('base64url')}`;
      const answer = await lectern.request('GET', '/api/v1/session', { token: guess });
      assertRefused(answer, 401, 'api_key.invalid');
    });

    it('a malformed lk_ key answers api_key.invalid', async () => {
      for (const token of ['lk_', 'lk_short_secret', `lk_${'a'.repeat(12)}_${'!'.repeat(43)}`]) {
        const answer = await lectern.request('GET', '/api/v1/session', { token });
        assertRefused(answer, 401, 'api_key.invalid');
      }
    });
  });

  describe('roles', () => {
    it('roles an admin grants persist across sign-ins; embed roles follow the newest token', async () => {
      const sub = `employee-${randomUUID()}`;
      const first = await lectern.signIn(tenant, ['viewer'], sub);

      const granted = await lectern.request('PUT', `/api/v1/users/${first.user.id}/roles`, {
        token: admin.token,
        body: { roles: ['critic'] },
      });
      assert.equal(granted.status, 200);
      assert.deepEqual(granted.body.roles, ['critic', 'viewer']);

      const again = await lectern.signIn(tenant, ['viewer'], sub);
      assert.equal(again.user.id, first.user.id);
      assert.deepEqual(again.user.roles, ['critic', 'viewer']);

      const promoted = await lectern.signIn(tenant, ['author'], sub);
      assert.deepEqual(promoted.user.roles, ['author', 'critic']);

      // The first session was issued with other roles; it answers with the current ones.
      const current = await lectern.request('GET', '/api/v1/session', { token: first.token });
      assert.deepEqual(current.body.user.roles, ['author', 'critic']);
      assert.ok(current.body.permissions.includes('video.review'));
      assert.ok(current.body.permissions.includes('video.upload'));

      const withoutRoles = await lectern.signIn(tenant, [], sub);
      assert.deepEqual(withoutRoles.user.roles, ['critic']);
    });

    it('an admin taking a granted role away takes effect on the next request', async () => {
      const person = await lectern.signIn(tenant, ['viewer']);
      const path = `/api/v1/users/${person.user.id}/roles`;
      await lectern.request('PUT', path, { token: admin.token, body: { roles: ['trainer'] } });
      const withGrant = await lectern.request('GET', '/api/v1/session', { token: person.token });
      assert.ok(withGrant.body.permissions.includes('quiz.results'));

      await lectern.request('PUT', path, { token: admin.token, body: { roles: [] } });
      const withoutGrant = await lectern.request('GET', '/api/v1/session', { token: person.token });
      assert.deepEqual(withoutGrant.body.user.roles, ['viewer']);
      assert.ok(!withoutGrant.body.permissions.includes('quiz.results'));
    });
  });
});
