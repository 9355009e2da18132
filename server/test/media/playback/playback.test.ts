import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { playbackKey } from '../../../src/media/playback/playback-tokens.ts';
import { forEachDatabase } from '../../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../../support/lectern.ts';
import { makeVideo } from '../../support/videos.ts';
import { encodedHls, makePlayableVideo, pathOf } from './support.ts';

// Asynchronous on purpose: the server answering these tools runs in this very process.
async function run(
  tool: string,
  args: string[],
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tool, args, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/** Decodes every frame of a URL with ffmpeg; answers its exit status and complaints. */
function decode(url: string) {
  return run('ffmpeg', ['-v', 'error', '-i', url, '-map', '0', '-f', 'null', '-']);
}

async function streamsOf(url: string): Promise<string[]> {
  const probed = await run('ffprobe', [
    ...['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', url],
  ]);
  // ffprobe lists a stream once per HLS program it belongs to.
  return probed.status === 0 ? [...new Set(probed.stdout.split('\n').filter(Boolean))].sort() : [];
}

forEachDatabase('playback', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let author: { token: string; user: { id: string } };

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    tenant = await lectern.createTenant();
    author = await lectern.signIn(tenant, ['author']);
  });
  after(() => lectern.stop());

  async function published(renditionName?: string) {
    return makePlayableVideo(lectern, {
      tenantId: tenant.id,
      ownerId: author.user.id,
      state: 'published',
      ...(renditionName ? { renditionName } : {}),
    });
  }

  async function playbackFor(token: string, videoId: string) {
    const answer = await lectern.request('GET', `/api/v1/videos/${videoId}/playback`, { token });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body as {
      playlistUrl: string;
      posterUrl: string | null;
      expiresAt: string;
      renditions: { name: string; width: number; height: number }[];
    };
  }

  it('a viewer gets absolute playback URLs that carry a playback token', async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const { video } = await published();
    const playback = await playbackFor(viewer.token, video.id);
    assert.match(
      playback.playlistUrl,
      /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/playback\/[^/]+\/master\.m3u8$/,
    );
    assert.ok(playback.playlistUrl.startsWith(lectern.url));
    assert.match(playback.posterUrl ?? '', /\/poster\.jpg$/);
    assert.deepEqual(playback.renditions, [{ name: '360p', width: 320, height: 240 }]);
    const lifetime = Date.parse(playback.expiresAt) - Date.now();
    assert.ok(lifetime > 14 * 60_000 && lifetime <= 15 * 60_000);
    assert.ok(playback.playlistUrl.length < 600, 'the token keeps URLs short');
  });

  it('ffmpeg decodes the whole video through the master URL, fetching the key itself', async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const { video } = await published();
    const { playlistUrl } = await playbackFor(viewer.token, video.id);
    assert.deepEqual(await streamsOf(playlistUrl), ['aac', 'h264']);
    const decoded = await decode(playlistUrl);
    assert.equal(decoded.status, 0, decoded.stderr);
  });

  it('a stored segment on its own cannot be decoded, as written or as served', async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const { video } = await published();
    const { playlistUrl } = await playbackFor(viewer.token, video.id);
    const hls = encodedHls();
    const written = path.join(hls.folder, hls.segments[0] as string);
    const served = playlistUrl.replace('master.m3u8', `360p/${hls.segments[0] as string}`);
    for (const segment of [written, served]) {
      assert.deepEqual(await streamsOf(segment), [], 'ffprobe found streams in ciphertext');
      assert.notEqual((await decode(segment)).status, 0);
    }
  });

  it('the key answer is the 16 bytes, never cached, and readable from other origins', async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const { video } = await published();
    const { playlistUrl } = await playbackFor(viewer.token, video.id);
    const response = await fetch(playlistUrl.replace('master.m3u8', '360p/key'), {
      headers: { origin: 'https://intranet.example' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('content-type'), 'application/octet-stream');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), encodedHls().contentKey);
  });

  it('the media playlist points every key and segment at this viewer token', async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const { video } = await published();
    const { playlistUrl } = await playbackFor(viewer.token, video.id);
    const base = playlistUrl.replace('/master.m3u8', '');
    const master = await fetch(playlistUrl);
    assert.match(master.headers.get('content-type') ?? '', /^application\/vnd\.apple\.mpegurl/);
    assert.ok((await master.text()).includes(`${base}/360p/index.m3u8`));
    const media = await (await fetch(`${base}/360p/index.m3u8`)).text();
    assert.ok(media.includes(`URI="${base}/360p/key"`));
    const segments = media.split('\n').filter((line) => line.startsWith('http'));
    assert.deepEqual(
      segments,
      encodedHls().segments.map((name) => `${base}/360p/${name}`),
    );
  });

  it('a revoked role stops keys at once, while the old token still looks valid', async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const { video } = await published();
    const { playlistUrl } = await playbackFor(viewer.token, video.id);
    const keyPath = pathOf(playlistUrl.replace('master.m3u8', '360p/key'));
    assert.equal((await lectern.request('GET', keyPath)).status, 200);

    await lectern.db('role_grants').where({ user_id: viewer.user.id }).delete();
    const refused = await lectern.request('GET', keyPath);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'playback.revoked');
    assert.notEqual((await decode(playlistUrl)).status, 0, 'ffmpeg decoded without access');
  });

  it('a video taken back to review stops the viewer key, while a critic still gets theirs', async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const critic = await lectern.signIn(tenant, ['critic']);
    const { video } = await published();
    const viewerUrl = (await playbackFor(viewer.token, video.id)).playlistUrl;

    await lectern.db('videos').where({ id: video.id }).update({ state: 'in_review' });
    const criticUrl = (await playbackFor(critic.token, video.id)).playlistUrl;
    const viewerKey = await lectern.request(
      'GET',
      pathOf(viewerUrl.replace('master.m3u8', '360p/key')),
    );
    assert.equal(viewerKey.status, 403);
    assert.equal(viewerKey.body.error.code, 'playback.revoked');
    const criticKey = await lectern.request(
      'GET',
      pathOf(criticUrl.replace('master.m3u8', '360p/key')),
    );
    assert.equal(criticKey.status, 200);
    assert.equal((await decode(criticUrl)).status, 0);
    const asking = await lectern.request('GET', `/api/v1/videos/${video.id}/playback`, {
      token: viewer.token,
    });
    assert.equal(asking.status, 404);
  });

  it("a token for one video opens nothing of another's", async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const { video: first } = await published();
    const { video: second } = await published('720p');
    const { playlistUrl } = await playbackFor(viewer.token, first.id);
    const base = pathOf(playlistUrl).replace('/master.m3u8', '');

    // The second video's rendition name, under the first video's token.
    assert.equal((await lectern.request('GET', `${base}/720p/key`)).status, 404);
    assert.equal((await lectern.request('GET', `${base}/720p/seg-00000.ts`)).status, 404);

    // The claims changed to name the second video: the signature no longer holds.
    const token = base.split('/').at(-1) as string;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, vid: second.id })).toString('base64url');
    const answer = await lectern.request(
      'GET',
      `/api/v1/playback/${header}.${forged}.${signature}/master.m3u8`,
    );
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, 'playback.token_invalid');
  });

  it('expired, unsigned and session tokens are refused with their own codes', async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const { video } = await published();
    const key = playbackKey(lectern.server.context.signer);
    const claims = { sub: viewer.user.id, tid: tenant.id, vid: video.id };
    const options = { audience: 'lectern:playback', issuer: lectern.audience } as const;
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, key, {
      ...options,
      algorithm: 'HS256',
    });
    const unsigned = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 }, '', {
      ...options,
      algorithm: 'none',
    });
    const cases: [string, string][] = [
      [expired, 'playback.token_expired'],
      [`${unsigned}${'A'.repeat(43)}`, 'playback.token_invalid'],
      [unsigned, 'playback.token_invalid'],
      [viewer.token, 'playback.token_invalid'],
      ['not-a-token', 'playback.token_invalid'],
    ];
    for (const [token, code] of cases) {
      const answer = await lectern.request('GET', `/api/v1/playback/${token}/360p/key`);
      assert.equal(answer.status, 401, code);
      assert.equal(answer.body.error.code, code);
    }

    // And the reverse: a playback token is no session.
    const { playlistUrl } = await playbackFor(viewer.token, video.id);
    const playbackToken = pathOf(playlistUrl).split('/').at(-2) as string;
    const asSession = await lectern.request('GET', '/api/v1/session', { token: playbackToken });
    assert.equal(asSession.status, 401);
  });

  it('a video without renditions is not ready to play', async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const video = await makeVideo(lectern.db, {
      tenantId: tenant.id,
      ownerId: author.user.id,
      state: 'published',
    });
    const answer = await lectern.request('GET', `/api/v1/videos/${video.id}/playback`, {
      token: viewer.token,
    });
    assert.equal(answer.status, 409);
    assert.equal(answer.body.error.code, 'playback.not_ready');
  });

  it('the poster comes back decrypted as the JPEG that was sealed', async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const { video } = await published();
    const { posterUrl } = await playbackFor(viewer.token, video.id);
    const response = await fetch(posterUrl as string);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), encodedHls().poster);
  });

  it('segments are served as stored (ciphertext) and only under their strict names', async () => {
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const { video, segmentFolder } = await published();
    const { playlistUrl } = await playbackFor(viewer.token, video.id);
    const base = playlistUrl.replace('/master.m3u8', '/360p');
    const segment = await fetch(`${base}/seg-00000.ts`);
    assert.equal(segment.status, 200);
    assert.equal(segment.headers.get('content-type'), 'video/mp2t');
    assert.deepEqual(
      Buffer.from(await segment.arrayBuffer()),
      await segmentBytes(lectern, `${segmentFolder}seg-00000.ts`),
    );
    for (const name of ['index.m3u8x', 'seg-0.ts', '..%2Fposter', 'seg-00000.ts.enc']) {
      const answer = await fetch(`${base}/${name}`);
      assert.ok([400, 404].includes(answer.status), `${name}: ${answer.status}`);
    }
  });
});

async function segmentBytes(lectern: TestLectern, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await lectern.server.context.media.storage.get(key)) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
