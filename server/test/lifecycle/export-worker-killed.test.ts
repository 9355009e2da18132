import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { exportKeys } from '../../src/lifecycle/export/export-records.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';
import { tusClient, uploadAll } from '../support/tus.ts';
import { unzip } from '../support/zip.ts';
import { ffmpegOutput } from '../support/media-files.ts';
import { workerProcesses } from '../support/worker-processes.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Uncompressed video of about 58 MB: long enough to build that a worker dies midway. */
function largeVideo(): Buffer {
  return ffmpegOutput('large.mkv', [
    ...['-f', 'lavfi', '-i', 'testsrc=duration=20:size=320x240:rate=25'],
    ...['-c:v', 'rawvideo', '-pix_fmt', 'yuv420p'],
  ]);
}

/** The largest file in a folder, in bytes (0 when there is none). */
function largestFile(folder: string): number {
  try {
    return Math.max(
      0,
      ...readdirSync(folder).map((name) => statSync(path.join(folder, name)).size),
    );
  } catch {
    return 0; // Renamed or removed between the listing and the stat.
  }
}

// PostgreSQL only: the workers are processes of their own, and a second process cannot open
// the test's PGlite (it lives in this process's memory, and a PGlite folder takes one process).
forEachDatabase('an export whose worker process is killed midway', (openDatabase) => {
  let lectern: TestLectern;
  let kind: string;
  const workers = workerProcesses();

  before(async () => {
    const database = await openDatabase();
    kind = database.kind;
    // The queue only: the export is built in separate `lectern worker` processes.
    lectern = await startTestLectern(database, workers.secrets, { jobs: 'queue' });
  });
  after(async () => {
    workers.killAll();
    await lectern.stop();
  });

  const startWorker = () => workers.start(lectern);

  async function uploadVideo(tenant: TestTenant, video: Buffer): Promise<string> {
    const author = await lectern.signIn(tenant, ['author']);
    const client = tusClient(lectern, author.token);
    const created = await client.create(video.length, { filename: 'large.mkv' });
    const location = created.headers.get('location') as string;
    const sent = await uploadAll(client, location, video, 8 << 20);
    assert.equal(sent?.status, 204);
    return created.headers.get('lectern-video-id') as string;
  }

  // Slow (about 1.5 minutes): pg-boss notices the lost heartbeat only on its next supervise
  // pass, which runs once a minute.
  const slow = { timeout: 240_000 };
  it(
    'the next worker finishes it: ready once, one archive object, a byte-correct download',
    slow,
    async (t) => {
      if (kind === 'pglite') {
        t.skip('a second process cannot open PGlite');
        return;
      }
      const tenant = await lectern.createTenant();
      const admin = (await lectern.signIn(tenant, ['admin'])).token;
      const video = largeVideo();
      const videoId = await uploadVideo(tenant, video);
      // The upload's transcode is not this test's subject: off the queue, so that the workers
      // run the export alone and the only writes to storage are the archive's.
      await lectern.db('pgboss.job').where({ name: 'video.transcode' }).del();

      const requested = await lectern.request('POST', '/api/v1/tenant/exports', {
        token: admin,
        body: {},
      });
      assert.equal(requested.status, 202);
      const exportId = requested.body.id as string;

      const first = await startWorker();
      const incoming = path.join(lectern.dataDir, 'media', '.incoming');
      for (let waited = 0; largestFile(incoming) < 4 << 20; waited += 10) {
        assert.ok(waited < 60_000, 'the first worker never wrote 4 MiB of the archive');
        await sleep(10);
      }
      workers.kill(first);

      const midway = await lectern.db('tenant_exports').where({ id: exportId }).first();
      assert.equal(midway.state, 'building', 'killed before the archive was complete');
      assert.equal(midway.archive_key, null);
      const refused = await lectern.request('GET', `/api/v1/tenant/exports/${exportId}/download`, {
        token: admin,
      });
      assert.equal(refused.body.error?.code, 'export.not_ready');

      await startWorker();
      let done;
      for (const started = Date.now(); ; await sleep(500)) {
        done = await lectern.request('GET', `/api/v1/tenant/exports/${exportId}`, {
          token: admin,
        });
        if (done.body.state !== 'queued' && done.body.state !== 'building') break;
        assert.ok(Date.now() - started < 200_000, 'the second worker did not finish the export');
      }
      assert.equal(done.body.state, 'ready', JSON.stringify(done.body));
      const row = await lectern.db('tenant_exports').where({ id: exportId }).first();
      assert.ok(row.attempts >= 2, `attempts: ${row.attempts}`);
      const readyEntries = await lectern
        .db('audit_log')
        .where({ subject_id: exportId, action: 'tenant.export_ready' });
      assert.equal(readyEntries.length, 1, 'ready exactly once');

      const stored: string[] = [];
      const storage = lectern.server.context.media.storage;
      for await (const object of storage.list(exportKeys.folder(tenant.id, exportId))) {
        stored.push(object.key);
      }
      assert.deepEqual(stored, [row.archive_key], 'exactly one archive object, the one named');

      const answer = await fetch(`${lectern.url}${done.body.downloadUrl}`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      assert.equal(answer.status, 200);
      const archive = Buffer.from(await answer.arrayBuffer());
      assert.equal(archive.length, done.body.size);
      const entries = await unzip(archive);
      const metadata = JSON.parse((entries.get('metadata.json') as Buffer).toString('utf8')) as {
        videos: { id: string; original: string }[];
      };
      const original = metadata.videos.find((each) => each.id === videoId)?.original as string;
      assert.ok(entries.get(original)?.equals(video), 'the original, byte for byte');

      const tail = await fetch(`${lectern.url}${done.body.downloadUrl}`, {
        headers: { authorization: `Bearer ${admin}`, range: `bytes=${archive.length - 65_536}-` },
      });
      assert.equal(tail.status, 206);
      assert.ok(Buffer.from(await tail.arrayBuffer()).equals(archive.subarray(-65_536)));
    },
  );
});
