import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { after, before, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern } from '../support/lectern.ts';
import type { LaunchOptions, TestPlatform } from '../support/lti-platform.ts';
import { codeOf, registeredPlatform } from './support.ts';

const student = { user: { id: '41', role: 'student' as const } };
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

forEachDatabase('LTI launch attacks', (openDatabase) => {
  let lectern: TestLectern;
  let platform: TestPlatform;
  let platformPublicPem: string;

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    platform = await registeredPlatform(lectern, await lectern.createTenant());
    const jwks = (await (await fetch(platform.jwksUrl)).json()) as { keys: JsonWebKey[] };
    platformPublicPem = createPublicKey({ key: jwks.keys[0] as JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
  });
  after(async () => {
    await platform?.close();
    await lectern?.stop();
  });

  /** Launches with the options and answers the refusal's code (and checks it is a 4xx). */
  async function refusal(options: Partial<LaunchOptions>): Promise<string> {
    const answer = await platform.launch({ ...student, ...options });
    assert.ok(answer.status >= 400 && answer.status < 500, `${answer.status}: ${answer.body}`);
    return codeOf(answer);
  }

  const cases: [string, Partial<LaunchOptions>, string][] = [
    [
      'a signature by another key',
      {
        sign: (claims, header) =>
          jwt.sign(claims, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, {
            algorithm: 'RS256',
            keyid: header.kid as string,
          }),
      },
      'lti.token_signature',
    ],
    [
      'alg: none',
      {
        sign: (claims, header) => `${base64url({ ...header, alg: 'none' })}.${base64url(claims)}.`,
      },
      'lti.token_algorithm',
    ],
    [
      "HS256 signed with the platform's public key",
      {
        sign: (claims, header) => hmacWithPublicKey(platformPublicPem, claims, header),
      },
      'lti.token_algorithm',
    ],
    [
      'an expired id_token',
      { tamper: (claims) => ((claims.iat = now() - 600), (claims.exp = now() - 300)) },
      'lti.token_expired',
    ],
    [
      'an iat far in the future',
      { tamper: (claims) => ((claims.iat = now() + 3600), (claims.exp = now() + 3660)) },
      'lti.token_not_yet_valid',
    ],
    [
      'a wrong audience',
      { tamper: (claims) => void (claims.aud = 'another-tool') },
      'lti.token_audience',
    ],
    [
      'an azp naming another client',
      {
        tamper: (claims) => {
          claims.aud = [claims.aud as string, 'another-tool'];
          claims.azp = 'another-tool';
        },
      },
      'lti.token_audience',
    ],
    [
      'an unknown deployment',
      {
        tamper: (claims) =>
          void (claims['https://purl.imsglobal.org/spec/lti/claim/deployment_id'] = 'never-issued'),
      },
      'lti.unknown_deployment',
    ],
    [
      'a wrong message type',
      {
        tamper: (claims) =>
          void (claims['https://purl.imsglobal.org/spec/lti/claim/message_type'] =
            'LtiSubmissionReviewRequest'),
      },
      'lti.message_type',
    ],
    [
      'a wrong version',
      {
        tamper: (claims) =>
          void (claims['https://purl.imsglobal.org/spec/lti/claim/version'] = '1.1'),
      },
      'lti.version',
    ],
    [
      'another issuer than the login',
      { tamper: (claims) => void (claims.iss = 'https://evil.example') },
      'lti.token_issuer',
    ],
    [
      'an oversized id_token',
      { tamper: (claims) => void (claims.padding = 'x'.repeat(20_000)) },
      'lti.token_too_large',
    ],
    [
      'a nonce from another login',
      { tamper: (claims) => void (claims.nonce = 'a-nonce-this-login-never-issued') },
      'lti.nonce_invalid',
    ],
  ];
  for (const [what, options, code] of cases) {
    it(`refuses ${what} with ${code}`, async () => {
      assert.equal(await refusal(options), code);
    });
  }

  it('refuses a replayed id_token and state with lti.state_invalid', async () => {
    const prepared = await platform.prepareLaunch(student);
    assert.equal((await prepared.submit()).status, 200);
    assert.equal(codeOf(await prepared.submit()), 'lti.state_invalid');
  });

  it("refuses a state that is not the browser's own with lti.state_mismatch", async () => {
    const first = await platform.prepareLaunch(student);
    const second = await platform.prepareLaunch(student);
    // The first browser's cookie, the second login's state and token.
    const crossed = await first.submit({ idToken: second.idToken, state: second.state });
    assert.equal(codeOf(crossed), 'lti.state_mismatch');
  });

  it('refuses a login from an unknown issuer with lti.unknown_platform', async () => {
    const answer = await fetch(
      `${lectern.url}/lti/login?${new URLSearchParams({
        iss: 'https://unknown.example',
        login_hint: '41',
        target_link_uri: `${lectern.url}/lti/launch`,
      })}`,
      { redirect: 'manual' },
    );
    assert.equal(answer.status, 400);
    assert.equal(
      ((await answer.json()) as { error: { code: string } }).error.code,
      'lti.unknown_platform',
    );
  });

  it('refuses a login without its required parameters with request.invalid', async () => {
    const answer = await fetch(`${lectern.url}/lti/login?iss=${platform.issuer}`);
    assert.equal(answer.status, 400);
    assert.equal(
      ((await answer.json()) as { error: { code: string } }).error.code,
      'request.invalid',
    );
  });
});

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** What an attacker computes: an HS256 signature keyed with the public key's PEM text. */
function hmacWithPublicKey(pem: string, claims: object, header: object): string {
  const input = `${base64url({ ...header, alg: 'HS256' })}.${base64url(claims)}`;
  return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
}
