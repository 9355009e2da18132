import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import express from 'express';
import type { Role } from '../../src/identity/policy.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern } from '../support/lectern.ts';
import { routesOf } from './route-inventory.ts';
import {
  adminsOnly,
  callers,
  everyoneSignedIn,
  only,
  open,
  type Caller,
  type Row,
  type TenantFixture,
} from './matrix-shape.ts';
import { quizRows } from './quiz-matrix-rows.ts';
import { exportRows } from './export-matrix-rows.ts';
import type { VideoState } from '../../src/media/library/videos.ts';
import { makeVideo } from '../support/videos.ts';
import { makePlayableVideo } from '../media/playback/support.ts';
import { saveTrack } from '../../src/media/tracks/text-tracks.ts';

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
// An issuer no tenant registered: every caller is refused alike.
const ltiLogin = new URLSearchParams({
  iss: 'https://unregistered-lms.example',
  login_hint: '41',
  target_link_uri: 'https://lectern.example/lti/launch',
}).toString();

const matrix: Row[] = [
  ...quizRows,
  ...exportRows,
  {
    route: 'GET /healthz',
    target: () => ({ path: '/healthz' }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'GET /readyz',
    target: () => ({ path: '/readyz' }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'POST /api/v1/sessions',
    target: (lectern, owner) => ({
      path: '/api/v1/sessions',
      body: { token: lectern.embedToken(owner.tenant, { roles: ['viewer'] }) },
    }),
    own: open(201),
    otherTenant: 'public',
  },
  {
    route: 'GET /api/v1/session',
    target: () => ({ path: '/api/v1/session' }),
    own: everyoneSignedIn(200),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/tenant',
    target: () => ({ path: '/api/v1/tenant' }),
    own: everyoneSignedIn(200),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/tenant/policy',
    target: () => ({ path: '/api/v1/tenant/policy' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'PUT /api/v1/tenant/policy/:permission',
    // Sets the default again, so that the matrix leaves the policy as it found it.
    target: () => ({
      path: '/api/v1/tenant/policy/video.upload',
      body: { roles: ['author', 'admin'] },
    }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/users',
    target: () => ({ path: '/api/v1/users' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'PUT /api/v1/users/:userId/roles',
    target: (_lectern, owner) => ({
      path: `/api/v1/users/${owner.bystanderId}/roles`,
      body: { roles: ['viewer'] },
    }),
    own: adminsOnly(200),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/api-keys',
    target: () => ({ path: '/api/v1/api-keys' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'POST /api/v1/api-keys',
    target: () => ({ path: '/api/v1/api-keys', body: { label: 'matrix' } }),
    own: adminsOnly(201),
    otherTenant: 'isolated',
  },
  {
    route: 'DELETE /api/v1/api-keys/:keyId',
    target: async (lectern, owner) => ({
      path: `/api/v1/api-keys/${await newApiKey(lectern, owner)}`,
    }),
    own: adminsOnly(204),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/embed-keys',
    target: () => ({ path: '/api/v1/embed-keys' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'POST /api/v1/embed-keys',
    target: () => ({ path: '/api/v1/embed-keys', body: { algorithm: 'HS256' } }),
    own: adminsOnly(201),
    otherTenant: 'isolated',
  },
  {
    route: 'DELETE /api/v1/embed-keys/:keyId',
    target: async (lectern, owner) => ({
      path: `/api/v1/embed-keys/${await newEmbedKey(lectern, owner)}`,
    }),
    own: adminsOnly(204),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/tenant/settings',
    target: () => ({ path: '/api/v1/tenant/settings' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'PATCH /api/v1/tenant/settings',
    target: () => ({ path: '/api/v1/tenant/settings', body: { review: { required: true } } }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/tenant/data-location',
    target: () => ({ path: '/api/v1/tenant/data-location' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'POST /api/v1/tenant/terminate',
    // A wrong name: the matrix learns who may ask without terminating the tenant it tests.
    target: () => ({ path: '/api/v1/tenant/terminate', body: { confirm: 'not the name' } }),
    own: only(400, ['admin']),
    otherTenant: 400,
  },
  {
    route: 'GET /api/v1/videos',
    target: () => ({ path: '/api/v1/videos' }),
    own: everyoneSignedIn(200),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/videos/:videoId',
    target: async (lectern, owner) => ({
      path: `/api/v1/videos/${(await videoOf(lectern, owner, 'bystander', 'published')).id}`,
    }),
    own: everyoneSignedIn(200),
    otherTenant: 404,
  },
  {
    route: 'PATCH /api/v1/videos/:videoId',
    target: async (lectern, owner) => ({
      path: `/api/v1/videos/${(await videoOf(lectern, owner, 'author', 'published')).id}`,
      body: { title: 'Renamed' },
    }),
    own: only(200, ['author', 'admin', 'apiKey']),
    otherTenant: 404,
  },
  {
    route: 'DELETE /api/v1/videos/:videoId',
    target: async (lectern, owner) => ({
      path: `/api/v1/videos/${(await videoOf(lectern, owner, 'author', 'published')).id}`,
    }),
    own: only(204, ['author', 'admin', 'apiKey']),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/videos/:videoId/tracks',
    target: async (lectern, owner) => ({
      path: `/api/v1/videos/${(await videoWithCaptions(lectern, owner)).id}/tracks`,
    }),
    own: everyoneSignedIn(200),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/videos/:videoId/tracks/:kind/:language',
    target: async (lectern, owner) => ({
      path: `/api/v1/videos/${(await videoWithCaptions(lectern, owner)).id}/tracks/captions/de`,
    }),
    own: everyoneSignedIn(200),
    otherTenant: 404,
  },
  {
    route: 'PUT /api/v1/videos/:videoId/tracks/:kind/:language',
    target: async (lectern, owner) => ({
      path: `/api/v1/videos/${(await videoOf(lectern, owner, 'author', 'published')).id}/tracks/captions/de`,
      body: { vtt: captions },
    }),
    own: only(201, ['author', 'admin', 'apiKey']),
    otherTenant: 404,
  },
  {
    route: 'DELETE /api/v1/videos/:videoId/tracks/:kind/:language',
    target: async (lectern, owner) => ({
      path: `/api/v1/videos/${(await videoWithCaptions(lectern, owner, 'author')).id}/tracks/captions/de`,
    }),
    own: only(204, ['author', 'admin', 'apiKey']),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/review-queue',
    target: () => ({ path: '/api/v1/review-queue' }),
    own: only(200, ['critic']),
    otherTenant: 'isolated',
    stranger: 'critic',
  },
  {
    route: 'POST /api/v1/videos/:videoId/review',
    target: async (lectern, owner) => ({
      path: `/api/v1/videos/${(await videoOf(lectern, owner, 'bystander', 'in_review')).id}/review`,
      body: { decision: 'approve' },
    }),
    own: only(200, ['critic']),
    otherTenant: 404,
    stranger: 'critic',
  },
  {
    route: 'POST /api/v1/videos/:videoId/resubmit',
    target: async (lectern, owner) => ({
      path: `/api/v1/videos/${(await videoOf(lectern, owner, 'author', 'rejected')).id}/resubmit`,
    }),
    own: only(200, ['author', 'admin', 'apiKey']),
    otherTenant: 404,
  },
  {
    route: 'OPTIONS /api/v1/uploads',
    target: () => ({ path: '/api/v1/uploads' }),
    own: open(204),
    otherTenant: 'public',
  },
  {
    route: 'OPTIONS /api/v1/uploads/:uploadId',
    target: () => ({ path: '/api/v1/uploads/0123456789abcdef0123456789abcdef' }),
    own: open(204),
    otherTenant: 'public',
  },
  {
    route: 'POST /api/v1/uploads',
    target: () => ({ path: '/api/v1/uploads', headers: uploadCreation }),
    own: only(201, ['author', 'admin']),
    otherTenant: 'isolated',
    stranger: 'author',
  },
  {
    route: 'HEAD /api/v1/uploads/:uploadId',
    target: async (lectern, owner) => ({
      path: await newUpload(lectern, owner),
      headers: { 'Tus-Resumable': '1.0.0' },
    }),
    own: uploadOwnerOnly(200),
    otherTenant: 404,
    stranger: 'author',
  },
  {
    route: 'PATCH /api/v1/uploads/:uploadId',
    target: async (lectern, owner) => ({
      path: await newUpload(lectern, owner),
      rawBody: 'ten bytes!',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
      },
    }),
    own: uploadOwnerOnly(204),
    otherTenant: 404,
    stranger: 'author',
  },
  {
    route: 'DELETE /api/v1/uploads/:uploadId',
    target: async (lectern, owner) => ({
      path: await newUpload(lectern, owner),
      headers: { 'Tus-Resumable': '1.0.0' },
    }),
    own: uploadOwnerOnly(204),
    otherTenant: 404,
    stranger: 'author',
  },
  {
    route: 'GET /api/v1/videos/:videoId/playback',
    target: async (lectern, owner) => ({
      path: `/api/v1/videos/${(await playableVideoOf(lectern, owner)).id}/playback`,
    }),
    // A playback token names a person: a backend's API key gets none.
    own: only(200, ['viewer', 'author', 'critic', 'trainer', 'admin']),
    otherTenant: 404,
  },
  // Below, the playback token in the path is the credential; a Bearer header changes nothing.
  {
    route: 'GET /api/v1/playback/:token/master.m3u8',
    target: async (lectern, owner) => ({ path: await playbackPath(lectern, owner, 'master.m3u8') }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'GET /api/v1/playback/:token/poster.jpg',
    target: async (lectern, owner) => ({ path: await playbackPath(lectern, owner, 'poster.jpg') }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'GET /api/v1/playback/:token/:rendition/index.m3u8',
    target: async (lectern, owner) => ({
      path: await playbackPath(lectern, owner, '360p/index.m3u8'),
    }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'GET /api/v1/playback/:token/:rendition/key',
    target: async (lectern, owner) => ({ path: await playbackPath(lectern, owner, '360p/key') }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'GET /api/v1/playback/:token/:rendition/:segment',
    target: async (lectern, owner) => ({
      path: await playbackPath(lectern, owner, '360p/seg-00000.ts'),
    }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'GET /api/v1/playback/:token/tracks/:kind/:language',
    target: async (lectern, owner) => ({
      path: await playbackPath(lectern, owner, 'tracks/captions/de'),
    }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'POST /api/v1/lti/registrations',
    target: () => ({ path: '/api/v1/lti/registrations' }),
    own: adminsOnly(201),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/lti/platforms',
    target: () => ({ path: '/api/v1/lti/platforms' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  // The LTI routes answer the LMS's browser, never a Bearer token: the same for every caller.
  {
    route: 'GET /lti/login',
    target: () => ({ path: `/lti/login?${ltiLogin}` }),
    own: open(400),
    otherTenant: 'public',
  },
  {
    route: 'POST /lti/login',
    target: () => ({ path: '/lti/login', rawBody: ltiLogin, headers: formHeaders }),
    own: open(400),
    otherTenant: 'public',
  },
  {
    route: 'POST /lti/launch',
    target: () => ({
      path: '/lti/launch',
      rawBody: 'id_token=x.y.z&state=s',
      headers: formHeaders,
    }),
    own: open(400),
    otherTenant: 'public',
  },
  {
    route: 'POST /lti/launch/confirm',
    target: () => ({
      path: '/lti/launch/confirm',
      body: { id_token: 'x.y.z', state: 's', script_nonce: 'AAAAAAAAAAAAAAAAAAAAAA==' },
      headers: { 'x-lectern-launch': 'storage' },
    }),
    own: open(400),
    otherTenant: 'public',
  },
  {
    route: 'GET /lti/keys',
    target: () => ({ path: '/lti/keys' }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'GET /lti/register',
    target: () => ({
      path: `/lti/register?token=${'a'.repeat(43)}&openid_configuration=https://lms.example/oidc`,
    }),
    own: open(400),
    otherTenant: 'public',
  },
  {
    route: 'POST /lti/deep-link',
    target: () => ({
      path: '/lti/deep-link',
      rawBody: `ticket=x.y.z&video=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
      headers: formHeaders,
    }),
    own: open(400),
    otherTenant: 'public',
  },
];

const uploadCreation = {
  'Tus-Resumable': '1.0.0',
  'Upload-Length': '1000000',
  'Upload-Metadata': `filename ${Buffer.from('matrix.mp4').toString('base64')}`,
};

/** An upload is its owner's alone: an admin of the tenant does not find it either. */
function uploadOwnerOnly(status: number): Record<Caller, number> {
  return { ...only(status, ['author']), admin: 404 };
}

/** A fresh upload of the owner's author; answers its location. */
async function newUpload(lectern: TestLectern, owner: TenantFixture): Promise<string> {
  const created = await lectern.request('POST', '/api/v1/uploads', {
    token: owner.credentials.author,
    headers: uploadCreation,
  });
  return created.headers.get('location') as string;
}

/** A fresh video of the owner's tenant, belonging to its author or to a bystander. */
function videoOf(
  lectern: TestLectern,
  owner: TenantFixture,
  whose: 'author' | 'bystander',
  state: VideoState,
) {
  return makeVideo(lectern.db, {
    tenantId: owner.tenant.id,
    ownerId: whose === 'author' ? (owner.userIds.author as string) : owner.bystanderId,
    state,
  });
}

/** A published video of a bystander, transcoded: one rendition, its segments and a poster. */
async function playableVideoOf(lectern: TestLectern, owner: TenantFixture) {
  const { video } = await makePlayableVideo(lectern, {
    tenantId: owner.tenant.id,
    ownerId: owner.bystanderId,
    state: 'published',
  });
  return video;
}

const captions = 'WEBVTT\n\n00:00.000 --> 00:02.000\nHallo\n';

/** A published video of the author or a bystander with German captions. */
async function videoWithCaptions(
  lectern: TestLectern,
  owner: TenantFixture,
  whose: 'author' | 'bystander' = 'bystander',
) {
  const video = await videoOf(lectern, owner, whose, 'published');
  await saveTrack(
    lectern.db,
    lectern.server.context.media,
    video,
    { kind: 'captions', language: 'de', label: 'Deutsch', text: captions, cues: 1 },
    'cli',
  );
  return video;
}

/** A path under a playback token that the owner's viewer was given for a fresh video. */
async function playbackPath(
  lectern: TestLectern,
  owner: TenantFixture,
  resource: string,
): Promise<string> {
  const video = await playableVideoOf(lectern, owner);
  if (resource.startsWith('tracks/')) {
    await saveTrack(
      lectern.db,
      lectern.server.context.media,
      video,
      { kind: 'captions', language: 'de', label: 'Deutsch', text: captions, cues: 1 },
      'cli',
    );
  }
  const answer = await lectern.request('GET', `/api/v1/videos/${video.id}/playback`, {
    token: owner.credentials.viewer,
  });
  return new URL(answer.body.playlistUrl).pathname.replace(/master\.m3u8$/, resource);
}

async function newApiKey(lectern: TestLectern, owner: TenantFixture): Promise<string> {
  const answer = await lectern.request('POST', '/api/v1/api-keys', {
    token: owner.credentials.admin,
    body: { label: 'to revoke' },
  });
  return answer.body.id;
}

async function newEmbedKey(lectern: TestLectern, owner: TenantFixture): Promise<string> {
  const answer = await lectern.request('POST', '/api/v1/embed-keys', {
    token: owner.credentials.admin,
    body: { algorithm: 'HS256' },
  });
  return answer.body.id;
}

async function tenantFixture(lectern: TestLectern): Promise<TenantFixture> {
  const tenant = await lectern.createTenant();
  const credentials = { anonymous: undefined } as Record<Caller, string | undefined>;
  const userIds: Partial<Record<Role, string>> = {};
  for (const role of ['viewer', 'author', 'critic', 'trainer', 'admin'] as Role[]) {
    const session = await lectern.signIn(tenant, [role]);
    credentials[role as Caller] = session.token;
    userIds[role] = session.user.id;
  }
  const key = await lectern.request('POST', '/api/v1/api-keys', {
    token: credentials.admin,
    body: { label: 'matrix backend' },
  });
  credentials.apiKey = key.body.key;
  const bystander = await lectern.signIn(tenant, ['viewer']);
  return { tenant, credentials, userIds, bystanderId: bystander.user.id };
}

it('the route inventory sees routes inside mounted routers, so a new route cannot hide', () => {
  const app = express();
  const nested = express.Router();
  nested.get('/videos/:videoId', (_request, response) => response.end());
  nested.post('/videos', (_request, response) => response.end());
  app.use('/api/v1', nested);
  app.get('/healthz', (_request, response) => response.end());
  assert.deepEqual(routesOf(app), [
    'GET /api/v1/videos/:videoId',
    'GET /healthz',
    'POST /api/v1/videos',
  ]);
});

function methodOf(route: string): string {
  return route.split(' ')[0] as string;
}

forEachDatabase('the authorization matrix', (openDatabase) => {
  let lectern: TestLectern;
  let owner: TenantFixture;
  let stranger: TenantFixture;

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    owner = await tenantFixture(lectern);
    stranger = await tenantFixture(lectern);
  });
  after(() => lectern.stop());

  it('has exactly one row for every route the server answers', () => {
    const served = routesOf(lectern.server.app);
    const listed = matrix.map((row) => row.route).sort();
    assert.deepEqual(listed, served, 'add a row to the matrix for each new route');
  });

  for (const row of matrix) {
    it(`${row.route}: each role of the tenant gets what the policy grants`, async () => {
      const outcomes: Partial<Record<Caller, number>> = {};
      for (const caller of callers) {
        const target = await row.target(lectern, owner);
        const answer = await lectern.request(methodOf(row.route), target.path, {
          token: owner.credentials[caller],
          body: target.body,
          ...(target.rawBody === undefined ? {} : { rawBody: target.rawBody }),
          ...(target.headers ? { headers: target.headers } : {}),
        });
        outcomes[caller] = answer.status;
      }
      assert.deepEqual(outcomes, row.own);
    });

    if (row.otherTenant === 'public') continue;
    it(`${row.route}: a user of another tenant cannot reach this tenant's data`, async () => {
      const target = await row.target(lectern, owner);
      const answer = await lectern.request(methodOf(row.route), target.path, {
        token: stranger.credentials[row.stranger ?? 'admin'],
        body: target.body,
        ...(target.rawBody === undefined ? {} : { rawBody: target.rawBody }),
        ...(target.headers ? { headers: target.headers } : {}),
      });
      if (row.otherTenant === 'isolated') {
        assert.ok(
          answer.status < 400,
          `expected the stranger's own tenant to answer, got ${answer.status}`,
        );
        const text = JSON.stringify(answer.body ?? '');
        assert.ok(!text.includes(owner.tenant.id), 'the answer mentions the other tenant');
        assert.ok(!text.includes(owner.bystanderId), "the answer mentions the other tenant's user");
        assert.ok(!text.includes(owner.tenant.keyId), "the answer mentions the other tenant's key");
      } else {
        assert.equal(answer.status, row.otherTenant);
      }
    });
  }
});
