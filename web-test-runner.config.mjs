// Browser tests run from tsc's output against a real Lectern server: run `tsc -b` first.
import { existsSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import commonjs from '@rollup/plugin-commonjs';
import { fromRollup } from '@web/dev-server-rollup';
import { chromeLauncher } from '@web/test-runner-chrome';

const serverEntry = new URL('./server/dist/index.js', import.meta.url);
const sdkNodeEntry = new URL('./packages/sdk/dist/src/node/index.js', import.meta.url);
const videosEntry = new URL('./server/dist/media/library/videos.js', import.meta.url);

/**
 * Starts a throwaway Lectern with one tenant for the test run, and answers
 * `GET /__lectern/fixture?roles=admin[,…][&subject=…][&tenant=slug]` with
 * `{ baseUrl, embedToken }`: a fresh embed token for a new user (or the given subject) with
 * those roles, in the shared tenant or in a tenant of that slug made on first use (so that a
 * test can count what it sees).
 *
 * `POST /__lectern/videos` with `{ ownerSubject, state, title, tenant?, createdAt? }` signs
 * the owner in as an author if they are new and answers `{ videoId, ownerId }` for a video
 * of theirs put straight into that state, with no upload behind it.
 */
function lecternFixture() {
  let lectern;
  let embedKey;
  let createEmbedToken;
  let createVideo;
  const tenants = new Map();

  const plugin = {
    name: 'lectern-fixture',
    async serverStart() {
      if (![serverEntry, sdkNodeEntry, videosEntry].every((entry) => existsSync(entry))) {
        throw new Error(
          'Build first: `npx tsc -b` must produce server/dist and packages/sdk/dist.',
        );
      }
      const { startLectern } = await import(serverEntry.href);
      ({ createEmbedToken } = await import(sdkNodeEntry.href));
      ({ createVideo } = await import(videosEntry.href));

      // With workers: an export requested in a test is built, as in the demo.
      lectern = await startLectern({ jobs: 'queue-and-workers' });
      ({ embedKey } = await lectern.tenants.create({
        slug: 'browser-tests',
        name: 'Browser tests',
      }));
    },
    async serverStop() {
      await lectern?.stop();
    },
  };

  /** The shared tenant, or the tenant of that slug, made on first use; holds its `embedKey`. */
  function tenantNamed(slug) {
    if (!slug) return { embedKey };
    if (!tenants.has(slug)) tenants.set(slug, lectern.tenants.create({ slug, name: slug }));
    return tenants.get(slug);
  }

  async function embedTokenFor({ tenant, subject, roles }) {
    const { embedKey: key } = await tenantNamed(tenant);
    return createEmbedToken({
      keyId: key.id,
      algorithm: key.algorithm,
      secret: key.secret,
      audience: lectern.url,
      subject,
      roles,
    });
  }

  async function fixture(ctx) {
    const roles = String(ctx.query.roles ?? 'viewer')
      .split(',')
      .filter(Boolean);
    const subject = String(ctx.query.subject ?? `browser-test-${randomUUID()}`);
    const tenant = ctx.query.tenant ? String(ctx.query.tenant) : undefined;
    ctx.body = {
      baseUrl: lectern.url,
      embedToken: await embedTokenFor({ tenant, subject, roles }),
    };
  }

  async function video(ctx) {
    const { ownerSubject, state = 'published', title, tenant, createdAt } = await readJson(ctx);
    const embedToken = await embedTokenFor({ tenant, subject: ownerSubject, roles: ['author'] });
    const answer = await fetch(`${lectern.url}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: embedToken }),
    });
    if (!answer.ok) throw new Error(`The owner's sign-in was refused: ${await answer.text()}`);
    const { user } = await answer.json();

    const db = lectern.server.database.knex;
    const created = await createVideo(
      db,
      { tenantId: user.tenantId, ownerId: user.id, title },
      `user:${user.id}`,
    );
    await db('videos')
      .where({ id: created.id })
      .update({
        state,
        published_at: state === 'published' ? db.fn.now() : null,
        ...(createdAt ? { created_at: createdAt } : {}),
      });
    ctx.body = { videoId: created.id, ownerId: user.id };
  }

  async function middleware(ctx, next) {
    const routes = { 'GET /__lectern/fixture': fixture, 'POST /__lectern/videos': video };
    const route = routes[`${ctx.method} ${ctx.path}`];
    if (!route) return next();

    ctx.set('cache-control', 'no-store');
    try {
      await route(ctx);
    } catch (error) {
      ctx.status = 400;
      ctx.body = { error: { code: 'fixture.invalid', message: error.message } };
    }
  }

  return { plugin, middleware };
}

async function readJson(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

/**
 * An AES-128-encrypted HLS stream made by ffmpeg at server start (12 s of testsrc and a sine
 * tone, 320x240, six 2-second segments), served with CORS under
 * `/__lectern/hls/{playback token}/…` with every URI in its playlists made absolute, as the
 * real server does, plus a poster at `/__lectern/hls/poster.png`.
 *
 * `GET /__lectern/playback-fixture/api/v1/videos/:videoId/playback` stands in for the real
 * playback API until it lands (base URL `{origin}/__lectern/playback-fixture`): `fixture-video`
 * answers the playback JSON, `no-access` 404 `resource.not_found`, `forbidden` 403
 * `permission.denied`, `processing` 409 `playback.not_ready`, `expired-stream` a playlist URL
 * whose token the stream refuses (403), `with-tracks` the stream with captions, subtitles and
 * chapters, `rotating-token` a token that expires in 61 s, replaced (and the one before
 * refused) at every answer, with slow segments; no Bearer token is 401.
 */
/** The WebVTT files of `with-tracks`: captions, subtitles and chapters in two languages. */
const textTracks = {
  'captions-de.vtt': 'WEBVTT\n\n00:00.000 --> 00:11.000\nHallo aus dem Testbild\n',
  'subtitles-en.vtt': 'WEBVTT\n\n00:00.000 --> 00:11.000\nHello from the test card\n',
  'chapters-de.vtt':
    'WEBVTT\n\n00:00.000 --> 00:04.000\nBegrüßung\n\n00:04.000 --> 00:12.000\nSicherheit\n',
  'chapters-en.vtt':
    'WEBVTT\n\n00:00.000 --> 00:04.000\nWelcome\n\n00:04.000 --> 00:12.000\nSafety\n',
};

function hlsFixture() {
  const playbackToken = randomBytes(16).toString('hex');
  // `rotating-token` hands out a new token at every playback answer and refuses the one before.
  let rotatingToken = '';
  let folder;

  const plugin = {
    name: 'lectern-hls-fixture',
    async serverStart() {
      folder = await mkdtemp(join(tmpdir(), 'lectern-hls-'));
      await writeFile(join(folder, 'key.bin'), randomBytes(16));
      await writeFile(join(folder, 'key.info'), `key.bin\n${join(folder, 'key.bin')}\n`);
      const run = promisify(execFile);
      const source = ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=12'];
      await run('ffmpeg', [
        '-hide_banner',
        '-loglevel',
        'error',
        ...source,
        '-frames:v',
        '1',
        join(folder, 'poster.png'),
      ]);
      await run('ffmpeg', [
        '-hide_banner',
        '-loglevel',
        'error',
        ...source,
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:duration=12',
        // A keyframe every 2 s, or x264's default interval makes one long segment.
        '-c:v',
        'libx264',
        '-profile:v',
        'baseline',
        '-pix_fmt',
        'yuv420p',
        '-g',
        '50',
        '-keyint_min',
        '50',
        '-sc_threshold',
        '0',
        '-c:a',
        'aac',
        '-b:a',
        '64k',
        '-hls_time',
        '2',
        '-hls_playlist_type',
        'vod',
        '-hls_key_info_file',
        join(folder, 'key.info'),
        '-hls_segment_filename',
        join(folder, 'segment-%d.ts'),
        join(folder, 'media.m3u8'),
      ]);
      await writeFile(
        join(folder, 'master.m3u8'),
        '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=320x240,CODECS="avc1.42c00d,mp4a.40.2"\nmedia.m3u8\n',
      );
    },
    async serverStop() {
      if (folder) await rm(folder, { recursive: true, force: true });
    },
  };

  const mediaTypes = {
    m3u8: 'application/vnd.apple.mpegurl',
    ts: 'video/mp2t',
    png: 'image/png',
    vtt: 'text/vtt',
  };

  async function serveStream(ctx, token, file) {
    const rotating = token !== undefined && token === rotatingToken;
    if (file !== 'poster.png' && token !== playbackToken && !rotating) {
      ctx.status = 403;
      return;
    }
    if (file.endsWith('.vtt')) {
      ctx.type = mediaTypes.vtt;
      ctx.body = textTracks[file] ?? '';
      return;
    }
    // Slow segments keep the stream loading past the token's refresh.
    if (rotating && file.endsWith('.ts')) await new Promise((resolve) => setTimeout(resolve, 1500));
    const body = await readFile(join(folder, file));
    // URIs in playlists carry the token the playlist was fetched with, as on the server.
    const base = `${ctx.origin}/__lectern/hls/${token}`;
    ctx.type = mediaTypes[file.split('.').pop()] ?? 'application/octet-stream';
    ctx.body = file.endsWith('.m3u8')
      ? body
          .toString('utf8')
          .replace(/^(?!#)(\S+)$|URI="([^"]+)"/gm, (line, uri, keyUri) =>
            uri ? `${base}/${uri}` : `URI="${base}/${keyUri}"`,
          )
      : body;
  }

  const streamUrl = (ctx) => `${ctx.origin}/__lectern/hls/${playbackToken}`;

  function playback(ctx, videoId) {
    const refusals = {
      'no-access': [404, 'resource.not_found', 'The video does not exist or is not yours to see.'],
      forbidden: [403, 'permission.denied', 'You may not watch this video.'],
      processing: [409, 'playback.not_ready', 'The video is still being processed.'],
    };
    const refusal = !/^Bearer \S+/.test(ctx.get('authorization'))
      ? [401, 'auth.missing', 'A session token is required.']
      : refusals[videoId];
    if (refusal) {
      const [status, code, message] = refusal;
      ctx.status = status;
      ctx.body = { error: { code, message, requestId: randomUUID() } };
      return;
    }
    let url = streamUrl(ctx);
    let lifetime = 3_600_000;
    if (videoId === 'expired-stream') url = url.replace(/\w+$/, '00');
    if (videoId === 'rotating-token') {
      rotatingToken = randomBytes(16).toString('hex');
      url = url.replace(/\w+$/, rotatingToken);
      // The player asks again a minute before expiry, and at the earliest after 5 s.
      lifetime = 61_000;
    }
    const track = (kind, language, label) => ({
      kind,
      language,
      label,
      url: `${url}/${kind}-${language}.vtt`,
    });
    ctx.body = {
      playlistUrl: `${url}/master.m3u8`,
      posterUrl: `${ctx.origin}/__lectern/hls/poster.png`,
      expiresAt: new Date(Date.now() + lifetime).toISOString(),
      renditions: [{ name: '240p', width: 320, height: 240 }],
      tracks:
        videoId === 'with-tracks'
          ? [
              track('captions', 'de', 'Deutsch'),
              track('subtitles', 'en', 'English'),
              track('chapters', 'de', 'Deutsch'),
              track('chapters', 'en', 'English'),
            ]
          : [],
    };
  }

  async function middleware(ctx, next) {
    const stream = ctx.path.match(
      /^\/__lectern\/hls\/(?:([0-9a-f]+)\/)?([\w-]+\.(?:m3u8|ts|bin|png|vtt))$/,
    );
    const api = ctx.path.match(
      /^\/__lectern\/playback-fixture\/api\/v1\/videos\/([^/]+)\/playback$/,
    );
    if (!stream && !api) return next();

    ctx.set('access-control-allow-origin', '*');
    ctx.set('access-control-allow-headers', 'authorization, accept');
    ctx.set('cache-control', 'no-store');
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    if (stream) await serveStream(ctx, stream[1], stream[2]);
    else playback(ctx, decodeURIComponent(api[1]));
  }

  return { plugin, middleware };
}

const fixture = lecternFixture();
const hls = hlsFixture();

export default {
  files: ['packages/*/dist/test/**/*.test.js', '!packages/*/dist/test/node/**'],
  // `browser`: tus-js-client's package maps its Node entry (fs, http) to a browser one.
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      },
    }),
  ],
  plugins: [
    fixture.plugin,
    hls.plugin,
    // url-parse (via tus-js-client) is CommonJS. Without strictRequires: false, the plugin's
    // wrapper modules are not reached through the dev server and `default` goes missing.
    fromRollup(commonjs)({
      include: ['**/node_modules/{url-parse,querystringify,requires-port}/**'],
      strictRequires: false,
    }),
  ],
  middleware: [fixture.middleware, hls.middleware],
};
