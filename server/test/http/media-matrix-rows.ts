/** The matrix's rows for the library, captions, review, uploads and playback. */
import type { VideoState } from '../../src/media/library/videos.ts';
import { saveTrack } from '../../src/media/tracks/text-tracks.ts';
import { makePlayableVideo } from '../media/playback/support.ts';
import type { TestLectern } from '../support/lectern.ts';
import { makeVideo } from '../support/videos.ts';
import {
  everyoneSignedIn,
  only,
  open,
  type Caller,
  type Row,
  type TenantFixture,
} from './matrix-shape.ts';

export const mediaRows: Row[] = [
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
