import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { createEmbedToken, type EmbedTokenOptions } from '../../src/node/index.js';

const audience = 'http://127.0.0.1:8080';
const secret = randomBytes(32).toString('base64url');
const hs256: EmbedTokenOptions = {
  keyId: 'ek_test',
  algorithm: 'HS256',
  secret,
  audience,
  subject: 'intranet-user-42',
  roles: ['author', 'viewer'],
};

function verify(token: string, key: string, algorithm: jwt.Algorithm): jwt.JwtPayload {
  return jwt.verify(token, key, { algorithms: [algorithm], audience }) as jwt.JwtPayload;
}

function lifetime(claims: jwt.JwtPayload): number {
  return Number(claims.exp) - Number(claims.iat);
}

describe('createEmbedToken', () => {
  it('signs an HS256 token that names its key and carries subject, audience and roles', () => {
    const token = createEmbedToken(hs256);

    const { header } = jwt.decode(token, { complete: true }) ?? assert.fail('not a JWT');
    assert.equal(header.alg, 'HS256');
    assert.equal(header.kid, 'ek_test');
    const claims = verify(token, secret, 'HS256');
    assert.equal(claims.sub, 'intranet-user-42');
    assert.equal(claims.aud, audience);
    assert.deepEqual(claims.roles, ['author', 'viewer']);
    assert.equal(lifetime(claims), 300);
  });

  it('signs RS256 and ES256 tokens that verify with the public half of the pair', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = (key: typeof rsa.publicKey) =>
      key.export({ type: 'spki', format: 'pem' }) as string;

    const base = { keyId: 'ek_pair', audience, subject: 'u1', roles: ['viewer'] as const };
    const rs = createEmbedToken({ ...base, algorithm: 'RS256', privateKey: rsa.privateKey });
    const es = createEmbedToken({ ...base, algorithm: 'ES256', privateKey: ec.privateKey });

    assert.equal(verify(rs, pem(rsa.publicKey), 'RS256').sub, 'u1');
    assert.equal(verify(es, pem(ec.publicKey), 'ES256').sub, 'u1');
    assert.throws(() => verify(rs, pem(rsa.publicKey), 'ES256'), /invalid algorithm/);
  });

  it('is refused by a server that expects another audience', () => {
    const token = createEmbedToken(hs256);

    assert.throws(
      () => jwt.verify(token, secret, { algorithms: ['HS256'], audience: 'https://other.example' }),
      /jwt audience invalid/,
    );
  });

  it('honours a shorter lifetime and refuses one longer than the server accepts', () => {
    const claims = verify(createEmbedToken({ ...hs256, ttlSeconds: 60 }), secret, 'HS256');
    assert.equal(lifetime(claims), 60);

    assert.throws(() => createEmbedToken({ ...hs256, ttlSeconds: 601 }), RangeError);
    assert.throws(() => createEmbedToken({ ...hs256, ttlSeconds: 0 }), RangeError);
    assert.throws(() => createEmbedToken({ ...hs256, ttlSeconds: 1.5 }), RangeError);
  });

  it('refuses an empty or overlong subject', () => {
    assert.throws(() => createEmbedToken({ ...hs256, subject: '' }), /subject/);
    assert.throws(() => createEmbedToken({ ...hs256, subject: 'x'.repeat(201) }), /subject/);
  });

  it("carries the person's name only when given, and refuses an empty or overlong one", () => {
    assert.equal(verify(createEmbedToken(hs256), secret, 'HS256').name, undefined);
    const named = verify(createEmbedToken({ ...hs256, name: 'Grete Mustermann' }), secret, 'HS256');
    assert.equal(named.name, 'Grete Mustermann');
    assert.throws(() => createEmbedToken({ ...hs256, name: ' ' }), TypeError);
    assert.throws(() => createEmbedToken({ ...hs256, name: 'x'.repeat(201) }), TypeError);
  });

  it('refuses roles Lectern does not know', () => {
    const roles = ['viewer', 'superuser'] as unknown as EmbedTokenOptions['roles'];

    assert.throws(() => createEmbedToken({ ...hs256, roles }), /Unknown roles: superuser/);
  });

  it('refuses a missing key, key id or audience', () => {
    assert.throws(() => createEmbedToken({ ...hs256, secret: '' }), /secret/);
    assert.throws(() => createEmbedToken({ ...hs256, keyId: '' }), /keyId/);
    assert.throws(() => createEmbedToken({ ...hs256, audience: 'not a url' }), /audience/);
    const noPrivateKey = { ...hs256, algorithm: 'RS256' } as unknown as EmbedTokenOptions;
    assert.throws(() => createEmbedToken(noPrivateKey), /private key/);
  });
});
