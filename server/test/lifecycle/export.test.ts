import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { runExportJob } from '../../src/lifecycle/export/build-export.ts';
import { exportKeys, requestExport } from '../../src/lifecycle/export/export-records.ts';
import { expireExports } from '../../src/lifecycle/export/export-workers.ts';
import type { MediaServices } from '../../src/media/media-services.ts';
import { saveTrack } from '../../src/media/tracks/text-tracks.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';
import { makeMediaFiles, windowsOf } from '../support/media-files.ts';
import { allTables, findPlaintext } from '../support/plaintext-scan.ts';
import { tusClient, uploadAll } from '../support/tus.ts';
import { unzip } from '../support/zip.ts';

const files = makeMediaFiles();

/** metadata.json as the test reads it; its schema checks the rest. */
interface Metadata {
  tenant: { id: string };
  videos: { id: string; original: string; tracks: { file: string }[] }[];
  users: object[];
  auditLog: { action: string }[];
}
const captions = 'WEBVTT\n\n00:00.000 --> 00:01.500\nFeuerlöscher prüfen\n';

async function bytes(lectern: TestLectern, path: string, token: string, headers = {}) {
  const answer = await fetch(`${lectern.url}${path}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  return { answer, body: Buffer.from(await answer.arrayBuffer()) };
}

forEachDatabase('the customer export', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let admin: string;
  const uploads = new Map<string, Buffer>();

  before(async () => {
    lectern = await startTestLectern(await openDatabase(), {}, { jobs: 'queue-and-workers' });
    tenant = await lectern.createTenant();
    admin = (await lectern.signIn(tenant, ['admin'])).token;
    const author = await lectern.signIn(tenant, ['author']);
    const client = tusClient(lectern, author.token);
    for (const [name, file] of [
      ['talk.mp4', files.mp4],
      ['large.mkv', files.large],
    ] as const) {
      const created = await client.create(file.length, { filename: name, title: name });
      const location = created.headers.get('location') as string;
      const done = await uploadAll(client, location, file, 4_000_000);
      assert.equal(done?.status, 204, `upload of ${name}`);
      uploads.set(created.headers.get('lectern-video-id') as string, file);
    }
    const [first] = uploads.keys();
    await saveTrack(
      lectern.db,
      lectern.server.context.media,
      { tenantId: tenant.id, id: first as string },
      { kind: 'captions', language: 'de', label: 'Deutsch', text: captions, cues: 1 },
      'cli',
    );
  });
  after(() => lectern.stop());

  async function readyExport(): Promise<{ id: string; downloadUrl: string; size: number }> {
    const requested = await lectern.request('POST', '/api/v1/tenant/exports', {
      token: admin,
      body: {},
    });
    assert.equal(requested.status, 202);
    for (const started = Date.now(); Date.now() - started < 60_000;) {
      const status = await lectern.request('GET', `/api/v1/tenant/exports/${requested.body.id}`, {
        token: admin,
      });
      if (status.body.state === 'ready') return status.body;
      assert.notEqual(status.body.state, 'failed');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the export did not become ready');
  }

  it('an export holds the originals byte for byte, the captions, and metadata that validates against its shipped schema', async () => {
    const ready = await readyExport();
    const { answer, body } = await bytes(lectern, ready.downloadUrl, admin);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'application/zip');
    assert.equal(answer.headers.get('accept-ranges'), 'bytes');
    assert.equal(body.length, ready.size);

    const entries = await unzip(body);
    const metadata = JSON.parse(
      (entries.get('metadata.json') as Buffer).toString('utf8'),
    ) as Metadata;
    for (const [videoId, upload] of uploads) {
      const video = metadata.videos.find((each: { id: string }) => each.id === videoId);
      assert.ok(video, `video ${videoId} is in the metadata`);
      assert.ok(entries.get(video.original)?.equals(upload), `${video.original} is the upload`);
    }
    const captioned = metadata.videos.find((each: { tracks: unknown[] }) => each.tracks.length);
    assert.equal(entries.get(captioned?.tracks[0]?.file as string)?.toString('utf8'), captions);

    const schema = JSON.parse((entries.get('schema/metadata.schema.json') as Buffer).toString());
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
    const validate = ajv.compile(schema);
    assert.ok(validate(metadata), JSON.stringify(validate.errors));
    assert.equal(metadata.tenant.id, tenant.id);
    assert.ok(
      metadata.users.every((user: object) => Object.keys(user).sort().join() === 'id,roles,source'),
    );
    assert.ok(
      metadata.auditLog.some(
        (entry: { action: string }) => entry.action === 'tenant.export_requested',
      ),
    );

    const csv = (entries.get('csv/videos.csv') as Buffer).toString('utf8');
    assert.equal(
      csv.trim().split('\r\n').length,
      uploads.size + 1,
      'a header and one line per video',
    );
    for (const name of [
      'csv/quizzes.csv',
      'csv/quiz-attempts.csv',
      'csv/users.csv',
      'csv/audit-log.csv',
    ]) {
      assert.ok(entries.has(name), name);
    }
  });

  it('a download cut midway resumes with a range and If-Range and gives the same archive', async () => {
    const ready = await readyExport();
    const whole = (await bytes(lectern, ready.downloadUrl, admin)).body;
    const etag = (
      await bytes(lectern, ready.downloadUrl, admin, { range: 'bytes=0-0' })
    ).answer.headers.get('etag') as string;

    // The connection drops after some bytes: the reader stops and the server's stream ends.
    const controller = new AbortController();
    const cut = await fetch(`${lectern.url}${ready.downloadUrl}`, {
      headers: { authorization: `Bearer ${admin}` },
      signal: controller.signal,
    });
    const reader = (cut.body as ReadableStream<Uint8Array>).getReader();
    const received: Buffer[] = [];
    let length = 0;
    while (length < 1_000_000) {
      const { value, done } = await reader.read();
      if (done) break;
      received.push(Buffer.from(value));
      length += value.length;
    }
    controller.abort();

    const rest = await bytes(lectern, ready.downloadUrl, admin, {
      range: `bytes=${length}-`,
      'if-range': etag,
    });
    assert.equal(rest.answer.status, 206);
    assert.equal(
      rest.answer.headers.get('content-range'),
      `bytes ${length}-${whole.length - 1}/${whole.length}`,
    );
    assert.ok(Buffer.concat([...received, rest.body]).equals(whole));

    const middle = await bytes(lectern, ready.downloadUrl, admin, { range: 'bytes=100-199' });
    assert.equal(middle.answer.status, 206);
    assert.ok(middle.body.equals(whole.subarray(100, 200)));
    const suffix = await bytes(lectern, ready.downloadUrl, admin, { range: 'bytes=-10' });
    assert.ok(suffix.body.equals(whole.subarray(-10)));

    // The client holds another archive's bytes: it gets the whole current one.
    const stale = await bytes(lectern, ready.downloadUrl, admin, {
      range: 'bytes=100-199',
      'if-range': '"another"',
    });
    assert.equal(stale.answer.status, 200);
    assert.equal(stale.body.length, whole.length);
  });

  it('no plaintext of the originals rests in storage, the database or the temp folders after an export', async () => {
    await readyExport();
    const windows = [...uploads.values()].flatMap((file) => windowsOf(file));
    const found = await findPlaintext(windows, {
      folders: [lectern.dataDir],
      db: lectern.db,
      tables: await allTables(lectern.db),
    });
    assert.deepEqual(found, []);
  });

  it('an export whose build dies midway is finished by the retry, and the half-written archive is never offered', async () => {
    const { db, server } = lectern;
    const { export: requested } = await requestExport(
      db,
      undefined,
      { tenantId: tenant.id, lifetimeSeconds: 3600 },
      'cli',
    );
    // Storage that takes a megabyte of the archive and then dies, as a killed process does.
    const media = server.context.media;
    const dying: MediaServices = {
      ...media,
      storage: {
        ...media.storage,
        list: (prefix) => media.storage.list(prefix),
        get: (key, range) => media.storage.get(key, range),
        delete: async () => {},
        put: async (_key, body) => {
          let taken = 0;
          for await (const piece of body as AsyncIterable<Uint8Array>) {
            taken += piece.length;
            if (taken > 1_000_000) throw new Error('killed');
          }
          throw new Error('killed');
        },
      },
    };
    const log = server.context.log;
    const job = { tenantId: tenant.id, exportId: requested.id };
    await assert.rejects(runExportJob(db, dying, log, job), /killed/);

    const midway = await lectern.request('GET', `/api/v1/tenant/exports/${requested.id}`, {
      token: admin,
    });
    assert.equal(midway.body.state, 'building');
    const refused = await lectern.request(
      'GET',
      `/api/v1/tenant/exports/${requested.id}/download`,
      { token: admin },
    );
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'export.not_ready');

    const finished = await runExportJob(db, media, log, job);
    assert.equal(finished?.state, 'ready');
    assert.equal(finished?.attempts, 2);
    const stored = [];
    for await (const object of media.storage.list(exportKeys.folder(tenant.id, requested.id))) {
      stored.push(object.key);
    }
    assert.deepEqual(stored, [finished?.archiveKey]);
    const entries = await unzip(
      (await bytes(lectern, `/api/v1/tenant/exports/${requested.id}/download`, admin)).body,
    );
    assert.ok(entries.has('metadata.json'));
  });

  it('an expired export answers 410 and its archive is removed', async () => {
    const ready = await readyExport();
    await lectern
      .db('tenant_exports')
      .where({ id: ready.id })
      .update({
        expires_at: lectern.db.raw("now() - interval '1 minute'"),
      });
    const gone = await lectern.request('GET', ready.downloadUrl, { token: admin });
    assert.equal(gone.status, 410);
    assert.equal(gone.body.error.code, 'export.expired');

    assert.ok((await expireExports(lectern.db, lectern.server.context.media)) >= 1);
    const status = await lectern.request('GET', `/api/v1/tenant/exports/${ready.id}`, {
      token: admin,
    });
    assert.equal(status.body.state, 'expired');
    assert.equal(status.body.downloadUrl, null);
    const left = [];
    for await (const object of lectern.server.context.media.storage.list(
      exportKeys.folder(tenant.id, ready.id),
    )) {
      left.push(object.key);
    }
    assert.deepEqual(left, []);
  });

  it('refuses what it must: another tenant finds nothing, a viewer is forbidden, a range past the end is 416', async () => {
    const ready = await readyExport();
    const other = await lectern.createTenant();
    const stranger = (await lectern.signIn(other, ['admin'])).token;
    for (const path of [`/api/v1/tenant/exports/${ready.id}`, ready.downloadUrl]) {
      const answer = await lectern.request('GET', path, { token: stranger });
      assert.equal(answer.status, 404);
    }
    const viewer = (await lectern.signIn(tenant, ['viewer'])).token;
    assert.equal(
      (await lectern.request('POST', '/api/v1/tenant/exports', { token: viewer })).status,
      403,
    );
    assert.equal((await lectern.request('GET', ready.downloadUrl, { token: viewer })).status, 403);

    const past = await lectern.request('GET', ready.downloadUrl, {
      token: admin,
      headers: { range: `bytes=${ready.size}-` },
    });
    assert.equal(past.status, 416);
    assert.equal(past.body.error.code, 'export.range_not_satisfiable');
    assert.equal(past.headers.get('content-range'), `bytes */${ready.size}`);
    const notUuid = await lectern.request('GET', '/api/v1/tenant/exports/not-an-id', {
      token: admin,
    });
    assert.equal(notUuid.status, 404);
  });
});
