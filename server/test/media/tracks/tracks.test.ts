import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { maxTracksPerVideo } from '../../../src/media/tracks/text-tracks.ts';
import { forEachDatabase } from '../../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../../support/lectern.ts';
import { allTables, findPlaintext } from '../../support/plaintext-scan.ts';
import { makeVideo } from '../../support/videos.ts';
import { makePlayableVideo, pathOf } from '../playback/support.ts';

// A line made anew each run, so that no file but Lectern's own can hold it.
const secretLine = `Geheimhaltungsstufe ${randomUUID()}`;
const germanCaptions =
  `WEBVTT\n\n00:00.000 --> 00:02.000\n${secretLine}\n\n` +
  '00:02.000 --> 00:04.000\nDie Notausgänge befinden sich links und rechts.\n';
const chapters =
  'WEBVTT\n\n00:00.000 --> 00:02.000\nBegrüßung\n\n00:02.000 --> 00:04.000\nSicherheit\n';

forEachDatabase('captions, subtitles and chapters', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let author: { token: string; user: { id: string } };

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    tenant = await lectern.createTenant();
    author = await lectern.signIn(tenant, ['author']);
  });
  after(() => lectern.stop());

  const tracksPath = (videoId: string, rest = '') => `/api/v1/videos/${videoId}/tracks${rest}`;
  const draft = () =>
    makeVideo(lectern.db, { tenantId: tenant.id, ownerId: author.user.id, state: 'in_review' });
  const storedTrackFiles = async (tenantId: string, videoId: string) => {
    const keys: string[] = [];
    const storage = lectern.server.context.media.storage;
    for await (const { key } of storage.list(`tenants/${tenantId}/videos/${videoId}/`)) {
      if (key.includes('/tracks/')) keys.push(key);
    }
    return keys;
  };

  it('an author adds captions in a language; they are stored sealed and read back as sent', async () => {
    const video = await draft();
    const added = await lectern.request('PUT', tracksPath(video.id, '/captions/de'), {
      token: author.token,
      body: { vtt: germanCaptions.replaceAll('\n', '\r\n') },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.label, 'Deutsch', 'the language names itself when no label is sent');
    assert.equal(added.body.cues, 2);

    const listed = await lectern.request('GET', tracksPath(video.id), { token: author.token });
    assert.deepEqual(
      listed.body.tracks.map((track: { kind: string; language: string }) => [
        track.kind,
        track.language,
      ]),
      [['captions', 'de']],
    );
    const read = await lectern.request('GET', tracksPath(video.id, '/captions/de'), {
      token: author.token,
    });
    assert.equal(read.status, 200);
    assert.match(read.headers.get('content-type') ?? '', /^text\/vtt/);
    assert.equal(read.body, germanCaptions, 'line endings are made \\n, nothing else changes');

    const secret = Buffer.from(secretLine);
    const found = await findPlaintext([secret], {
      folders: [lectern.dataDir],
      db: lectern.db,
      tables: await allTables(lectern.db),
    });
    assert.deepEqual(found, [], 'the caption text lies somewhere in plaintext');
  });

  it('sending a language again replaces its file and keeps one object; deleting removes it', async () => {
    const video = await draft();
    const put = (vtt: string, label?: string) =>
      lectern.request('PUT', tracksPath(video.id, '/subtitles/en-gb'), {
        token: author.token,
        body: { vtt, ...(label ? { label } : {}) },
      });
    assert.equal((await put(germanCaptions)).status, 201);
    const replaced = await put(chapters, 'English (UK), corrected');
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.language, 'en-GB', 'the tag is kept in its canonical case');
    assert.equal(replaced.body.label, 'English (UK), corrected');
    const read = await lectern.request('GET', tracksPath(video.id, '/subtitles/en-GB'), {
      token: author.token,
    });
    assert.equal(read.body, chapters);
    assert.equal((await storedTrackFiles(tenant.id, video.id)).length, 1);

    const removed = await lectern.request('DELETE', tracksPath(video.id, '/subtitles/en-GB'), {
      token: author.token,
    });
    assert.equal(removed.status, 204);
    assert.deepEqual(await storedTrackFiles(tenant.id, video.id), []);
    const again = await lectern.request('DELETE', tracksPath(video.id, '/subtitles/en-GB'), {
      token: author.token,
    });
    assert.equal(again.status, 404);
  });

  it('refuses a broken file with the line to fix, and keeps the version before', async () => {
    const video = await draft();
    await lectern.request('PUT', tracksPath(video.id, '/captions/de'), {
      token: author.token,
      body: { vtt: germanCaptions },
    });
    const refused = await lectern.request('PUT', tracksPath(video.id, '/captions/de'), {
      token: author.token,
      body: { vtt: 'WEBVTT\n\n00:03.000 --> 00:01.000\nRückwärts\n' },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'track.invalid_webvtt');
    assert.deepEqual(refused.body.error.details, {
      line: 3,
      reason: 'a cue must end after it starts',
    });
    assert.match(refused.body.error.message, /line 3/);

    const read = await lectern.request('GET', tracksPath(video.id, '/captions/de'), {
      token: author.token,
    });
    assert.equal(read.body, germanCaptions);
    assert.equal((await storedTrackFiles(tenant.id, video.id)).length, 1);
  });

  it('answers bad requests with stable codes', async () => {
    const video = await draft();
    const put = (
      path: string,
      init: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
    ) => lectern.request('PUT', tracksPath(video.id, path), { token: author.token, ...init });
    const codes = {
      language: (await put('/captions/deutsch!', { body: { vtt: germanCaptions } })).body.error
        .code,
      kind: (await put('/karaoke/de', { body: { vtt: germanCaptions } })).body.error.code,
      extra: (await put('/captions/de', { body: { vtt: germanCaptions, lang: 'de' } })).body.error
        .code,
      label: (await put('/captions/de', { body: { vtt: germanCaptions, label: ' ' } })).body.error
        .code,
      raw: (
        await put('/captions/de', {
          rawBody: germanCaptions,
          headers: { 'content-type': 'text/vtt' },
        })
      ).body.error.code,
    };
    assert.deepEqual(codes, {
      language: 'request.invalid',
      kind: 'request.invalid',
      extra: 'request.invalid',
      label: 'request.invalid',
      raw: 'request.unsupported_media_type',
    });

    // Hours of captions fit (more than the API's usual body limit); more than 1 MiB does not.
    const long = `WEBVTT\n\n${Array.from({ length: 9000 }, (_, index) => {
      const at = (s: number) =>
        `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.000`;
      return `${at(index)} --> ${at(index + 1)}\nSatz Nummer ${index}, gesprochen in ruhigem Ton.\n`;
    }).join('\n')}`;
    assert.ok(long.length > 500_000);
    assert.equal((await put('/captions/de', { body: { vtt: long } })).status, 201);
    const huge = await put('/captions/fr', { body: { vtt: long + long.slice(8) } });
    assert.ok([400, 413].includes(huge.status), String(huge.status));
    assert.ok(['request.invalid', 'request.body_too_large'].includes(huge.body.error.code));
  });

  it('only the owner and admins change tracks; viewers of the video may read them', async () => {
    const video = await makeVideo(lectern.db, {
      tenantId: tenant.id,
      ownerId: author.user.id,
      state: 'published',
    });
    const otherAuthor = await lectern.signIn(tenant, ['author']);
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const admin = await lectern.signIn(tenant, ['admin']);
    const put = (token: string) =>
      lectern.request('PUT', tracksPath(video.id, '/chapters/de'), {
        token,
        body: { vtt: chapters },
      });
    assert.equal((await put(otherAuthor.token)).status, 403);
    assert.equal((await put(viewer.token)).status, 403);
    assert.equal((await put(admin.token)).status, 201);
    const read = await lectern.request('GET', tracksPath(video.id, '/chapters/de'), {
      token: viewer.token,
    });
    assert.equal(read.body, chapters);

    const stranger = await lectern.signIn(await lectern.createTenant(), ['admin']);
    const foreign = await lectern.request('GET', tracksPath(video.id), { token: stranger.token });
    assert.equal(foreign.status, 404);
  });

  it(`takes at most ${maxTracksPerVideo} files per video`, async () => {
    const video = await draft();
    const languages = [
      'de',
      'en',
      'fr',
      'it',
      'es',
      'pl',
      'cs',
      'nl',
      'da',
      'sv',
      'fi',
      'pt',
      'tr',
      'el',
    ];
    const kinds = ['captions', 'subtitles', 'chapters'];
    const wanted = kinds.flatMap((kind) => languages.map((language) => `/${kind}/${language}`));
    for (const path of wanted.slice(0, maxTracksPerVideo)) {
      const answer = await lectern.request('PUT', tracksPath(video.id, path), {
        token: author.token,
        body: { vtt: chapters },
      });
      assert.equal(answer.status, 201, path);
    }
    const over = await lectern.request(
      'PUT',
      tracksPath(video.id, wanted[maxTracksPerVideo] as string),
      {
        token: author.token,
        body: { vtt: chapters },
      },
    );
    assert.equal(over.status, 409);
    assert.equal(over.body.error.code, 'track.too_many');
    const replacing = await lectern.request('PUT', tracksPath(video.id, wanted[0] as string), {
      token: author.token,
      body: { vtt: germanCaptions },
    });
    assert.equal(replacing.status, 200, 'a language it has can still be replaced');
  });

  it("the player gets each track's URL under the playback token, checked like the keys", async () => {
    const { video } = await makePlayableVideo(lectern, {
      tenantId: tenant.id,
      ownerId: author.user.id,
      state: 'published',
    });
    for (const [path, vtt] of [
      ['/captions/de', germanCaptions],
      ['/chapters/de', chapters],
    ] as const) {
      await lectern.request('PUT', tracksPath(video.id, path), {
        token: author.token,
        body: { vtt },
      });
    }
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const playback = await lectern.request('GET', `/api/v1/videos/${video.id}/playback`, {
      token: viewer.token,
    });
    const tracks = playback.body.tracks as {
      kind: string;
      language: string;
      label: string;
      url: string;
    }[];
    assert.deepEqual(
      tracks.map(({ kind, language, label }) => ({ kind, language, label })),
      [
        { kind: 'captions', language: 'de', label: 'Deutsch' },
        { kind: 'chapters', language: 'de', label: 'Deutsch' },
      ],
    );
    const captionsUrl = tracks[0]?.url as string;
    assert.ok(captionsUrl.startsWith(playback.body.playlistUrl.replace('master.m3u8', '')));

    // No Bearer header: the token in the URL opens it, for a <track> element across origins.
    const response = await fetch(captionsUrl, { headers: { origin: 'https://intranet.example' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(await response.text(), germanCaptions);

    const missing = await lectern.request('GET', pathOf(captionsUrl).replace('/de', '/fr'));
    assert.equal(missing.status, 404);
    await lectern.db('role_grants').where({ user_id: viewer.user.id }).delete();
    const revoked = await lectern.request('GET', pathOf(captionsUrl));
    assert.equal(revoked.status, 403);
    assert.equal(revoked.body.error.code, 'playback.revoked');
  });

  it('deleting the video deletes its tracks', async () => {
    const video = await draft();
    await lectern.request('PUT', tracksPath(video.id, '/captions/de'), {
      token: author.token,
      body: { vtt: germanCaptions },
    });
    assert.equal((await storedTrackFiles(tenant.id, video.id)).length, 1);
    const deleted = await lectern.request('DELETE', `/api/v1/videos/${video.id}`, {
      token: author.token,
    });
    assert.equal(deleted.status, 204);
    assert.deepEqual(await storedTrackFiles(tenant.id, video.id), []);
    assert.equal((await lectern.db('text_tracks').where({ video_id: video.id })).length, 0);
  });
});
