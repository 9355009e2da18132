import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import {
  startTestLectern,
  type Answer,
  type TestLectern,
  type TestTenant,
} from '../support/lectern.ts';

const bodyLimitBytes = 2048;

/** A refusal as a client sees it: the status, the code and a request id to quote. */
function assertRefused(answer: Answer, status: number, code: string): void {
  assert.deepEqual({ status: answer.status, code: answer.body?.error?.code }, { status, code });
  assert.equal(typeof answer.body.error.requestId, 'string');
  assert.ok(answer.body.error.requestId.length > 0);
  assert.equal(answer.headers.get('x-request-id'), answer.body.error.requestId);
}

/** A small, seeded generator, so that a failing garbage case can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

forEachDatabase('bad input', (open) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let adminToken: string;
  let bystanderId: string;
  const statuses: number[] = [];

  before(async () => {
    lectern = await startTestLectern(await open(), {
      LECTERN_BODY_LIMIT_BYTES: String(bodyLimitBytes),
    });
    tenant = await lectern.createTenant();
    adminToken = (await lectern.signIn(tenant, ['admin'])).token;
    bystanderId = (await lectern.signIn(tenant, ['viewer'])).user.id;
  });
  after(() => lectern.stop());

  /** Sends raw bytes, as a misbehaving client would, and records the status. */
  async function send(
    method: string,
    path: string,
    body: string | Uint8Array | undefined,
    headers: Record<string, string>,
  ): Promise<Answer> {
    const response = await fetch(`${lectern.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the assertion shows the text.
    }
    statuses.push(response.status);
    return { status: response.status, headers: response.headers, body: parsed };
  }

  function asAdmin(method: string, path: string, body?: unknown): Promise<Answer> {
    return send(method, path, body === undefined ? undefined : JSON.stringify(body), {
      authorization: `Bearer ${adminToken}`,
      'content-type': 'application/json',
    });
  }

  describe('bodies', () => {
    it('malformed JSON answers 400 request.malformed_json', async () => {
      const answer = await send('POST', '/api/v1/sessions', '{"token": ', {
        'content-type': 'application/json',
      });
      assertRefused(answer, 400, 'request.malformed_json');
    });

    it('a JSON body that is not an object or array answers 400 request.malformed_json', async () => {
      const answer = await send('POST', '/api/v1/sessions', '"a string"', {
        'content-type': 'application/json',
      });
      assertRefused(answer, 400, 'request.malformed_json');
    });

    it('a body over the configured limit answers 413 request.body_too_large', async () => {
      const answer = await asAdmin('POST', '/api/v1/api-keys', {
        label: 'x'.repeat(bodyLimitBytes),
      });
      assertRefused(answer, 413, 'request.body_too_large');
    });

    it('a body that only grows over the limit once inflated answers 413', async () => {
      const body = gzipSync(JSON.stringify({ token: 'x'.repeat(bodyLimitBytes * 4) }));
      assert.ok(body.length < bodyLimitBytes);
      const answer = await send('POST', '/api/v1/sessions', body, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      });
      assertRefused(answer, 413, 'request.body_too_large');
    });

    it('a body that claims gzip but is not answers 400 request.invalid', async () => {
      const answer = await send('POST', '/api/v1/sessions', '{"token":"abc"}', {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      });
      assertRefused(answer, 400, 'request.invalid');
    });

    it('an unknown content encoding answers 415', async () => {
      const answer = await send('POST', '/api/v1/sessions', '{"token":"abc"}', {
        'content-type': 'application/json',
        'content-encoding': 'rot13',
      });
      assertRefused(answer, 415, 'request.unsupported_media_type');
    });

    it('a text/plain body answers 415 request.unsupported_media_type', async () => {
      const answer = await send('POST', '/api/v1/sessions', '{"token":"abc"}', {
        'content-type': 'text/plain',
      });
      assertRefused(answer, 415, 'request.unsupported_media_type');
    });

    it('a form-encoded body answers 415 request.unsupported_media_type', async () => {
      const answer = await send('POST', '/api/v1/sessions', 'token=abc', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      assertRefused(answer, 415, 'request.unsupported_media_type');
    });

    it('unknown fields answer 400 request.invalid and name the field', async () => {
      const token = lectern.embedToken(tenant);
      const session = await send(
        'POST',
        '/api/v1/sessions',
        JSON.stringify({ token, admin: true }),
        {
          'content-type': 'application/json',
        },
      );
      assertRefused(session, 400, 'request.invalid');
      assert.match(JSON.stringify(session.body.error.details), /admin/);

      const key = await asAdmin('POST', '/api/v1/api-keys', {
        label: 'ok',
        tenantId: randomUUID(),
      });
      assertRefused(key, 400, 'request.invalid');
    });

    it('fields of the wrong type answer 400 request.invalid', async () => {
      const cases: [string, string, unknown][] = [
        ['POST', '/api/v1/sessions', { token: 42 }],
        ['POST', '/api/v1/sessions', { token: ['a.b.c'] }],
        ['PUT', `/api/v1/users/${bystanderId}/roles`, { roles: 'admin' }],
        ['PUT', `/api/v1/users/${bystanderId}/roles`, { roles: ['root'] }],
        ['PUT', '/api/v1/tenant/policy/video.upload', { roles: null }],
        ['POST', '/api/v1/api-keys', { label: { text: 'x' } }],
        ['POST', '/api/v1/api-keys', { label: '   ' }],
        ['POST', '/api/v1/embed-keys', { algorithm: 'RS512', publicKey: 'x' }],
        ['POST', '/api/v1/embed-keys', { algorithm: 'HS256', publicKey: 'x' }],
        ['POST', '/api/v1/embed-keys', { algorithm: 'RS256' }],
      ];
      for (const [method, path, body] of cases) {
        assertRefused(await asAdmin(method, path, body), 400, 'request.invalid');
      }
    });

    it('an API key label with a NUL byte answers 400 request.invalid', async () => {
      const answer = await asAdmin('POST', '/api/v1/api-keys', { label: 'backend\u0000' });
      assertRefused(answer, 400, 'request.invalid');
    });
  });

  describe('routes and parameters', () => {
    it('an unknown route answers 404 route.not_found, signed in or not', async () => {
      assertRefused(await send('GET', '/nothing-here', undefined, {}), 404, 'route.not_found');
      assertRefused(
        await send('GET', '/api/v1/nothing-here', undefined, {}),
        404,
        'route.not_found',
      );
      assertRefused(await asAdmin('GET', '/api/v1/nothing-here'), 404, 'route.not_found');
      assertRefused(await asAdmin('DELETE', '/api/v1/sessions'), 404, 'route.not_found');
      assertRefused(await asAdmin('POST', '/api/v2/sessions', {}), 404, 'route.not_found');
    });

    it('a user id that is not a UUID answers 404 resource.not_found', async () => {
      for (const userId of ['not-a-uuid', '1', `${bystanderId}x`, '-'.repeat(36)]) {
        const answer = await asAdmin('PUT', `/api/v1/users/${userId}/roles`, { roles: [] });
        assertRefused(answer, 404, 'resource.not_found');
      }
    });

    it('a user of another tenant answers 404 resource.not_found', async () => {
      const elsewhere = await lectern.signIn(await lectern.createTenant(), ['viewer']);
      const answer = await asAdmin('PUT', `/api/v1/users/${elsewhere.user.id}/roles`, {
        roles: ['admin'],
      });
      assertRefused(answer, 404, 'resource.not_found');
    });

    it('a path that is not valid percent-encoding answers 400 request.invalid', async () => {
      for (const path of ['/api/v1/users/%E0%A4%A/roles', '/api/v1/tenant/policy/%zz']) {
        assertRefused(await asAdmin('PUT', path, { roles: [] }), 400, 'request.invalid');
      }
      assertRefused(await asAdmin('DELETE', '/api/v1/api-keys/%ff'), 400, 'request.invalid');
    });

    it('a key id with a NUL byte answers 400 request.invalid', async () => {
      assertRefused(await asAdmin('DELETE', '/api/v1/api-keys/%00'), 400, 'request.invalid');
      assertRefused(await asAdmin('DELETE', '/api/v1/embed-keys/ek_%00'), 400, 'request.invalid');
    });

    it('a permission that does not exist answers 400 request.invalid', async () => {
      const answer = await asAdmin('PUT', '/api/v1/tenant/policy/video.delete', { roles: [] });
      assertRefused(answer, 400, 'request.invalid');
    });
  });

  describe('rules', () => {
    it('giving quiz results to admins answers 409 policy.fixed', async () => {
      const answer = await asAdmin('PUT', '/api/v1/tenant/policy/quiz.results', {
        roles: ['admin'],
      });
      assertRefused(answer, 409, 'policy.fixed');
      const policy = await asAdmin('GET', '/api/v1/tenant/policy');
      assert.deepEqual(policy.body.permissions['quiz.results'].roles, ['trainer']);
    });

    it('a public key that is not a PEM key answers 400 request.invalid', async () => {
      const notPem = [
        'not a key',
        '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
        '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      ];
      for (const publicKey of notPem) {
        const answer = await asAdmin('POST', '/api/v1/embed-keys', {
          algorithm: 'RS256',
          publicKey,
        });
        assertRefused(answer, 400, 'request.invalid');
      }
    });

    it('a public key of the wrong kind or size answers 400 request.invalid', async () => {
      const pem = (key: { export(options: { type: 'spki'; format: 'pem' }): string | Buffer }) =>
        key.export({ type: 'spki', format: 'pem' }).toString();
      const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
      const smallRsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
      const otherCurve = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey;
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
      const cases: ['RS256' | 'ES256', string][] = [
        ['RS256', pem(ec)],
        ['RS256', pem(smallRsa)],
        ['ES256', pem(otherCurve)],
        ['ES256', pem(rsa)],
      ];
      for (const [algorithm, publicKey] of cases) {
        const answer = await asAdmin('POST', '/api/v1/embed-keys', { algorithm, publicKey });
        assertRefused(answer, 400, 'request.invalid');
      }
    });

    it('a second tenant with a slug already taken is refused with tenant.slug_taken', async () => {
      await assert.rejects(lectern.createTenant(tenant.slug), {
        name: 'LecternError',
        code: 'tenant.slug_taken',
        status: 409,
      });
    });

    it('of several tenants created at once with one slug, one is made and the rest hear why', async () => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 4 }, () => lectern.createTenant('racing-slug')),
      );
      assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') assert.equal(outcome.reason.code, 'tenant.slug_taken');
      }
    });
  });

  describe('garbage', () => {
    const routes = () => [
      ['POST', '/api/v1/sessions'],
      ['PUT', '/api/v1/tenant/policy/video.upload'],
      ['PUT', `/api/v1/users/${bystanderId}/roles`],
      ['POST', '/api/v1/api-keys'],
      ['POST', '/api/v1/embed-keys'],
    ];

    it('never makes any POST or PUT route answer 5xx', async () => {
      const random = seededRandom(20261203);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const randomBytes = (length: number) =>
        Uint8Array.from({ length }, () => Math.floor(random() * 256));
      const randomText = (length: number) =>
        String.fromCharCode(...Array.from({ length }, () => Math.floor(random() * 0x3000)));

      const bodies: (() => string | Uint8Array | undefined)[] = [
        () => undefined,
        () => '',
        () => 'null',
        () => '[]',
        () => '{}',
        () => '1e999',
        () => '{"token":null}',
        () => '{"token":{"$gt":""}}',
        () => `{"token":"${'a.'.repeat(2000)}"}`,
        () => '{"roles":[null,1,{},[]]}',
        () => '{"roles":["admin","admin","admin","admin","admin","admin"]}',
        () => '{"__proto__":{"roles":["admin"]},"roles":[]}',
        () => '{"constructor":{"prototype":{"admin":true}}}',
        () => '{"label":"\\u0000"}',
        () => '{"algorithm":"\\u0000"}',
        () => '{"algorithm":"ES256","publicKey":"-----BEGIN PUBLIC KEY-----\\n\\u0000\\n"}',
        () => '{"token":"\\ud800"}',
        () => '['.repeat(900) + ']'.repeat(900),
        () => '{"a":'.repeat(300) + '1' + '}'.repeat(300),
        () => JSON.stringify({ token: randomText(40), roles: [randomText(5)] }),
        () => JSON.stringify({ label: randomText(60) }),
        () => randomText(100),
        () => randomBytes(64),
        () => randomBytes(3000),
        () => gzipSync(randomBytes(200)),
        () => gzipSync('{"label":"zipped"}'),
      ];
      const contentTypes = [
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=utf-16',
        'application/json; charset=bogus',
        'application/json; charset',
        'application/json; =',
        'application/vnd.api+json',
        'text/plain',
        'multipart/form-data; boundary=x',
        '',
        '*/*',
      ];
      const encodings = [undefined, undefined, 'identity', 'gzip', 'deflate', 'br', 'x-unknown'];
      const authorizations = [
        () => `Bearer ${adminToken}`,
        () => `Bearer ${adminToken}`,
        () => undefined,
        () => 'Bearer ',
        () => `Bearer lk_${'A'.repeat(12)}_${'B'.repeat(43)}`,
        () => `Bearer lk_${randomText(10)}`.replace(/[^\x20-\x7e]/g, '?'),
        () => `Bearer ${Buffer.from(randomBytes(30)).toString('base64url')}.e30.`,
        () => `Basic ${Buffer.from('admin:admin').toString('base64')}`,
        () => `Bearer ${'x'.repeat(5000)}`,
      ];

      function randomHeaders(): Record<string, string> {
        const headers: Record<string, string> = { 'content-type': pick(contentTypes) };
        const encoding = pick(encodings);
        if (encoding) headers['content-encoding'] = encoding;
        const authorization = pick(authorizations)();
        if (authorization) headers.authorization = authorization;
        if (random() < 0.2) headers['x-request-id'] = randomText(20).replace(/[^\x20-\x7e]/g, '_');
        return headers;
      }

      // Every body reaches every route twice: once past the parser and the sign-in with clean
      // headers, once with headers drawn at random.
      const failures: string[] = [];
      for (const [index, makeBody] of bodies.entries()) {
        for (const [method, path] of routes()) {
          for (const clean of [true, false]) {
            const body = makeBody();
            const headers: Record<string, string> = clean
              ? { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }
              : randomHeaders();
            const answer = await send(method as string, path as string, body, headers);
            if (answer.status >= 500 || answer.body?.error?.code === 'server.internal') {
              const shown = { ...headers, authorization: headers.authorization?.slice(0, 16) };
              failures.push(`body ${index}: ${method} ${path} ${JSON.stringify(shown)}`);
            } else if (answer.status >= 400) {
              assert.equal(typeof answer.body?.error?.requestId, 'string');
            }
          }
        }
      }
      assert.deepEqual(failures, []);
    });
  });

  it('answered nothing in this file with a 5xx', () => {
    assert.ok(statuses.length > 250);
    assert.deepEqual(
      statuses.filter((status) => status >= 500),
      [],
    );
  });
});
