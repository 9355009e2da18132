import assert from 'node:assert/strict';
import {
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import jwt from 'jsonwebtoken';
import {
  ltiClaim,
  ltiScope,
  startTestPlatform,
  type TestPlatform,
} from '../support/lti-platform.ts';

const membership = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

describe('the Moodle-like test platform, against a stand-in tool', () => {
  let platform: TestPlatform;
  let tool: StandInTool;

  before(async () => {
    platform = await startTestPlatform();
    tool = await startStandInTool();
    platform.configure({
      loginUrl: `${tool.url}/login`,
      redirectUris: [`${tool.url}/launch`],
      targetLinkUri: `${tool.url}/launch`,
      jwksUrl: `${tool.url}/jwks`,
    });
    tool.trust({ issuer: platform.issuer, clientId: platform.clientId, jwksUrl: platform.jwksUrl });
  });
  after(async () => {
    await platform?.close();
    await tool?.close();
  });

  it('launches a student, whom the tool sees as a Learner in an id_token shaped as Moodle’s', async () => {
    const answer = await platform.launch({ user: { id: '41', role: 'student' } });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(new URL(answer.url).pathname, '/app', 'the tool’s redirect was followed');

    const { claims, header } = JSON.parse(answer.body) as Seen;
    assert.deepEqual(claims[ltiClaim.roles], [`${membership}Learner`]);
    assert.equal(claims.sub, '41');
    assert.equal(claims.aud, platform.clientId);
    assert.equal(claims[ltiClaim.deploymentId], platform.deploymentId);
    assert.equal(Number(claims.exp) - Number(claims.iat), 60);
    assert.deepEqual(claims[ltiClaim.context], {
      id: 'course-2',
      label: 'SAFE101',
      title: 'Safety 101',
      type: ['CourseSection'],
    });
    assert.equal((claims[ltiClaim.toolPlatform] as Json).product_family_code, 'moodle');
    assert.ok(!JSON.stringify(claims).includes('lti_storage_target'));
    assert.equal(header.alg, 'RS256');
    assert.equal(typeof header.kid, 'string');
  });

  it('sends teachers as Instructor and site admins also as Administrator twice', async () => {
    const roles = async (role: 'teacher' | 'non-editing-teacher' | 'site-admin') => {
      const answer = await platform.launch({ user: { id: `u-${role}`, role } });
      return (JSON.parse(answer.body) as Seen).claims[ltiClaim.roles];
    };
    assert.deepEqual(await roles('teacher'), [`${membership}Instructor`]);
    assert.deepEqual(await roles('non-editing-teacher'), [`${membership}Instructor`]);
    assert.deepEqual(await roles('site-admin'), [
      'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
      `${membership}Instructor`,
      'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
    ]);
  });

  it('a browser that blocks the tool’s cookies does not get past the tool’s state check', async () => {
    const prepared = await platform.prepareLaunch({ user: { id: '41', role: 'student' } });
    assert.equal(prepared.redirectUri, `${tool.url}/launch`);
    const answer = await prepared.submit({ cookies: false });
    assert.equal(answer.status, 401);
    assert.match(answer.body, /state/);
  });

  it('serves its current key, after rotation both, and signs later launches with the new kid', async () => {
    const kids = async () =>
      ((await (await fetch(platform.jwksUrl)).json()) as { keys: Json[] }).keys.map((k) => k.kid);
    const [before] = await kids();
    assert.equal((await kids()).length, 1);

    platform.rotateKey();
    const both = await kids();
    assert.equal(both.length, 2);
    assert.equal(both[0], before);

    const answer = await platform.launch({ user: { id: '41', role: 'student' } });
    assert.equal(answer.status, 200, answer.body);
    assert.equal((JSON.parse(answer.body) as Seen).header.kid, both[1]);
  });

  it('grants an access token to a signed client assertion and refuses a wrong one with 401', async () => {
    const granted = await requestToken(platform, tool, [ltiScope.score, 'https://example.org/x']);
    assert.equal(granted.status, 200);
    const body = (await granted.json()) as Json;
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.scope, ltiScope.score, 'only the scopes asked for and allowed');

    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const refused = await requestToken(platform, tool, [ltiScope.score], stranger);
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as Json).error, 'invalid_client');
  });

  it('records a score posted with the access token to the line item of the launch', async () => {
    const launched = await platform.launch({
      user: { id: '41', role: 'student' },
      resourceLink: { id: 'rl-graded', title: 'Fire safety', lineItem: { scoreMaximum: 10 } },
    });
    const lineItem = String(
      ((JSON.parse(launched.body) as Seen).claims[ltiClaim.ags] as Json).lineitem,
    );
    assert.deepEqual(
      platform.lineItems('course-2').map(({ label, scoreMaximum }) => [label, scoreMaximum]),
      [['Fire safety', 10]],
    );

    const token = ((await (await requestToken(platform, tool, [ltiScope.score])).json()) as Json)
      .access_token;
    const url = new URL(lineItem);
    url.pathname += '/scores';
    const score = {
      userId: '41',
      scoreGiven: 9,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: new Date().toISOString(),
    };
    const posted = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/vnd.ims.lis.v1.score+json',
      },
      body: JSON.stringify(score),
    });
    assert.equal(posted.status, 200, await posted.text());
    assert.deepEqual(platform.scores(lineItem), [score]);
    assert.deepEqual(platform.serviceCalls.at(-1), {
      method: 'POST',
      path: url.pathname,
      scopes: [ltiScope.score],
    });

    const anonymous = await fetch(url, { method: 'POST', body: JSON.stringify(score) });
    assert.equal(anonymous.status, 401);
  });

  it('answers NRPS with the members of the course', async () => {
    platform.setMembers('course-7', [
      { id: '41', role: 'student', name: 'Erika Muster', email: 'erika@example.org' },
      { id: '7', role: 'teacher' },
    ]);
    const launched = await platform.launch({
      user: { id: '7', role: 'teacher' },
      context: { id: 'course-7', label: 'FIRE7', title: 'Fire 7' },
    });
    const nrps = (JSON.parse(launched.body) as Seen).claims[ltiClaim.nrps] as Json;
    assert.deepEqual(nrps.service_versions, ['1.0', '2.0']);

    const token = (
      (await (await requestToken(platform, tool, [ltiScope.memberships])).json()) as Json
    ).access_token;
    const answer = await fetch(String(nrps.context_memberships_url), {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
      },
    });
    assert.equal(answer.status, 200);
    const container = (await answer.json()) as { context: Json; members: Json[] };
    assert.equal(container.context.id, 'course-7');
    assert.deepEqual(
      container.members.map(({ user_id, roles, email }) => [user_id, roles, email]),
      [
        ['41', ['Learner'], 'erika@example.org'],
        ['7', ['Instructor'], undefined],
      ],
    );
  });

  it('takes back a deep-linking response the tool signed, and refuses one for another audience', async () => {
    const launched = await platform.launch({
      user: { id: '7', role: 'teacher' },
      messageType: 'LtiDeepLinkingRequest',
    });
    const { claims } = JSON.parse(launched.body) as Seen;
    const settings = claims[ltiClaim.deepLinkingSettings] as Json;
    const item = { type: 'ltiResourceLink', title: 'Fire safety', custom: { video: 'v-1' } };
    const respond = (audience: string) =>
      fetch(String(settings.deep_link_return_url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ JWT: tool.deepLinkResponse(claims, audience, [item]) }),
      });

    assert.equal((await respond('https://elsewhere.example')).status, 400);
    assert.equal((await respond(platform.issuer)).status, 200);
    assert.deepEqual(platform.deepLinkResponses, [{ contentItems: [item] }]);
  });

  it('registers a tool dynamically, as Moodle does, with one use of the registration token', async () => {
    const moodle = await startTestPlatform();
    const other = await startStandInTool();
    try {
      const registered = await moodle.register(`${other.url}/register`);
      assert.equal(registered.page.status, 200, registered.page.body);
      assert.match(registered.page.body, /org\.imsglobal\.lti\.close/);
      assert.match(registered.clientId, /^[A-Za-z0-9]{15}$/);
      assert.equal(registered.deploymentId, '1');
      assert.equal(registered.toolConfiguration.target_link_uri, `${other.url}/launch`);
      const answer = other.registrationAnswer() as Json;
      const configuration = answer[
        'https://purl.imsglobal.org/spec/lti-tool-configuration'
      ] as Json;
      assert.equal(configuration.deployment_id, registered.deploymentId);

      assert.equal(await other.replayRegistration(), 401, 'the registration token works once');
      const answerToLaunch = await moodle.launch({ user: { id: '41', role: 'student' } });
      assert.equal(answerToLaunch.status, 200, answerToLaunch.body);
    } finally {
      await moodle.close();
      await other.close();
    }
  });
});

type Json = Record<string, unknown>;
interface Seen {
  claims: Json;
  header: Json;
}

async function requestToken(
  platform: TestPlatform,
  tool: StandInTool,
  scopes: string[],
  key: KeyObject = tool.privateKey,
): Promise<Response> {
  const clientId = platform.clientId;
  const assertion = jwt.sign(
    { iss: clientId, sub: clientId, aud: platform.tokenUrl, jti: randomUUID() },
    key,
    { algorithm: 'RS256', keyid: tool.kid, expiresIn: 60 },
  );
  return fetch(platform.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: scopes.join(' '),
    }),
  });
}

interface TrustedPlatform {
  issuer: string;
  clientId: string;
  jwksUrl: string;
}

interface StandInTool {
  url: string;
  kid: string;
  privateKey: KeyObject;
  trust(platform: TrustedPlatform): void;
  registrationAnswer(): unknown;
  /** POSTs the last registration again with the same token; answers the status. */
  replayRegistration(): Promise<number>;
  deepLinkResponse(request: Json, audience: string, items: Json[]): string;
  close(): Promise<void>;
}

/**
 * The least a tool does: an OIDC login that redirects with state (in a cookie) and nonce, a
 * launch that verifies the id_token with the platform's JWKS and redirects to its app, a
 * JWKS of its own and a dynamic-registration page.
 */
async function startStandInTool(): Promise<StandInTool> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'stand-in-1';
  const nonces = new Map<string, string>();
  const sessions = new Map<string, Seen>();
  let trusted: (TrustedPlatform & { authUrl?: string }) | undefined;
  let registration: { endpoint: string; token: string; body: string; answer: unknown } | undefined;

  const app = express();
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cookie = (header: string | undefined, name: string) =>
    new RegExp(`(?:^|; )${name}=([^;]+)`).exec(header ?? '')?.[1];

  app.get('/jwks', (_request, response) => {
    response.json({
      keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }],
    });
  });

  app.get('/login', (request, response) => {
    const query = request.query as Record<string, string>;
    if (!trusted || query.iss !== trusted.issuer) return void response.status(400).send('iss');
    const state = randomBytes(16).toString('hex');
    const nonce = randomBytes(16).toString('hex');
    nonces.set(state, nonce);
    const auth = new URL(trusted.authUrl ?? `${trusted.issuer}/auth`);
    auth.search = new URLSearchParams({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: trusted.clientId,
      redirect_uri: `${url}/launch`,
      login_hint: query.login_hint ?? '',
      lti_message_hint: query.lti_message_hint ?? '',
      state,
      nonce,
    }).toString();
    response.append('set-cookie', `stand-in-state=${state}; Path=/; HttpOnly; SameSite=None`);
    response.redirect(302, auth.href);
  });

  app.post('/launch', express.urlencoded({ extended: false }), async (request, response) => {
    const { id_token: idToken = '', state = '' } = request.body as Record<string, string>;
    const nonce = nonces.get(state);
    if (!nonce || cookie(request.get('cookie'), 'stand-in-state') !== state || !trusted) {
      return void response.status(401).send('state does not match the browser’s');
    }
    nonces.delete(state);
    try {
      const decoded = jwt.decode(idToken, { complete: true });
      const { keys } = (await (await fetch(trusted.jwksUrl)).json()) as { keys: JsonWebKey[] };
      const jwk = keys.find((key) => key.kid === decoded?.header.kid) as JsonWebKey;
      const claims = jwt.verify(idToken, createPublicKey({ key: jwk, format: 'jwk' }), {
        algorithms: ['RS256'],
        issuer: trusted.issuer,
        audience: trusted.clientId,
      }) as Json;
      if (claims.nonce !== nonce) throw new Error('nonce');
      const session = randomBytes(16).toString('hex');
      sessions.set(session, { claims, header: decoded?.header as unknown as Json });
      response.append('set-cookie', `stand-in-session=${session}; Path=/`);
      response.redirect(303, '/app');
    } catch (error) {
      response.status(401).send(`id_token refused: ${(error as Error).message}`);
    }
  });

  app.get('/app', (request, response) => {
    const seen = sessions.get(cookie(request.get('cookie'), 'stand-in-session') ?? '');
    if (!seen) return void response.status(401).send('no session');
    response.json(seen);
  });

  app.get('/register', async (request, response) => {
    const query = request.query as Record<string, string>;
    const configuration = (await (await fetch(query.openid_configuration ?? '')).json()) as Json;
    const body = JSON.stringify({
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: `${url}/login`,
      redirect_uris: [`${url}/launch`],
      client_name: 'Stand-in',
      jwks_uri: `${url}/jwks`,
      token_endpoint_auth_method: 'private_key_jwt',
      scope: `${ltiScope.score} ${ltiScope.memberships}`,
      'https://purl.imsglobal.org/spec/lti-tool-configuration': {
        domain: new URL(url).host,
        target_link_uri: `${url}/launch`,
        claims: ['iss', 'sub'],
        messages: [{ type: 'LtiDeepLinkingRequest', target_link_uri: `${url}/launch` }],
      },
    });
    const endpoint = String(configuration.registration_endpoint);
    const token = query.registration_token ?? '';
    const answer = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    if (!answer.ok) return void response.status(400).send(await answer.text());
    const registered = (await answer.json()) as Json;
    registration = { endpoint, token, body, answer: registered };
    trusted = {
      issuer: String(configuration.issuer),
      clientId: String(registered.client_id),
      jwksUrl: String(configuration.jwks_uri),
      authUrl: String(configuration.authorization_endpoint),
    };
    response.send(
      '<script>window.parent.postMessage({subject:"org.imsglobal.lti.close"}, "*");</script>',
    );
  });

  return {
    url,
    kid,
    privateKey,
    trust: (platform) => void (trusted = platform),
    registrationAnswer: () => registration?.answer,
    async replayRegistration() {
      const { endpoint, token, body } = registration ?? { endpoint: '', token: '', body: '' };
      const answer = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      return answer.status;
    },
    deepLinkResponse: (request, audience, items) =>
      jwt.sign(
        {
          iss: trusted?.clientId,
          aud: audience,
          nonce: randomUUID(),
          [ltiClaim.deploymentId]: request[ltiClaim.deploymentId],
          [ltiClaim.messageType]: 'LtiDeepLinkingResponse',
          [ltiClaim.version]: '1.3.0',
          [ltiClaim.contentItems]: items,
        },
        privateKey,
        { algorithm: 'RS256', keyid: kid, expiresIn: 60 },
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
