import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { segmentsOf } from '../../../src/media/processing/rendition-output.ts';
import { forEachDatabase } from '../../support/databases.ts';
import { startTestLectern, type TestLectern } from '../../support/lectern.ts';
import { tusClient, uploadAll } from '../../support/tus.ts';
import { ffmpegOutput } from '../../support/media-files.ts';
import { workerProcesses } from '../../support/worker-processes.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A 720p video long enough that ffmpeg is still at work when its worker is killed. */
function longVideo(): Buffer {
  return ffmpegOutput('long.mp4', [
    ...['-f', 'lavfi', '-i', 'testsrc2=duration=16:size=1280x720:rate=25'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=16'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest'],
  ]);
}

forEachDatabase('a transcode whose worker is killed midway', (openDatabase) => {
  let lectern: TestLectern;
  let kind: string;
  const workers = workerProcesses();

  before(async () => {
    const database = await openDatabase();
    kind = database.kind;
    // The queue only: the work happens in separate worker processes.
    lectern = await startTestLectern(database, workers.secrets, { jobs: 'queue' });
  });
  after(async () => {
    workers.killAll();
    await lectern.stop();
  });

  const startWorker = () => workers.start(lectern);

  // Slow (about 1.5 minutes): pg-boss notices the lost heartbeat only on its next supervise
  // pass, which runs once a minute.
  const slow = { timeout: 240_000 };
  it(
    'the next worker finishes it once: complete renditions, no leftover attempts',
    slow,
    async (t) => {
      if (kind === 'pglite') {
        t.skip('a second process cannot open PGlite');
        return;
      }
      const tenant = await lectern.createTenant();
      const author = await lectern.signIn(tenant, ['author']);
      const video = longVideo();
      const client = tusClient(lectern, author.token);
      const created = await client.create(video.length, { filename: 'long.mp4' });
      const videoId = created.headers.get('lectern-video-id') as string;
      const sent = await uploadAll(
        client,
        created.headers.get('location') as string,
        video,
        1 << 20,
      );
      assert.equal(sent?.status, 204, JSON.stringify(sent?.status));
      assert.equal((await lectern.db('videos').where({ id: videoId }).first()).state, 'processing');

      const first = await startWorker();
      for (let waited = 0; ; waited += 100) {
        const active = await lectern
          .db('pgboss.job')
          .where({ name: 'video.transcode', state: 'active' });
        if (active.length > 0) break;
        assert.ok(waited < 30_000, 'the first worker never picked up the job');
        await sleep(100);
      }
      await sleep(1500);
      workers.kill(first);
      assert.equal((await lectern.db('videos').where({ id: videoId }).first()).state, 'processing');
      assert.equal((await lectern.db('renditions').where({ video_id: videoId })).length, 0);

      await startWorker();
      const done = await lectern.waitForState(videoId, 'in_review', 180_000);
      assert.equal(done.state, 'in_review');
      assert.ok(done.processing_attempts >= 2);

      const moves = (await lectern.db('audit_log').where({ subject_id: videoId }))
        .map((entry) => entry.details)
        .filter((details) => details?.to === 'in_review');
      assert.equal(moves.length, 1, 'moved to review exactly once');

      const renditions = await lectern
        .db('renditions')
        .where({ video_id: videoId })
        .orderBy('height');
      assert.deepEqual(
        renditions.map((rendition) => `${rendition.name} ${rendition.width}x${rendition.height}`),
        ['360p 640x360', '720p 1280x720'],
      );
      const storage = lectern.server.context.media.storage;
      const hls = `tenants/${tenant.id}/videos/${videoId}/hls/`;
      const stored = new Set<string>();
      for await (const object of storage.list(hls)) stored.add(object.key);
      const attempts = new Set([...stored].map((key) => key.slice(hls.length).split('/')[0]));
      assert.equal(attempts.size, 1, `attempt folders: ${[...attempts].join(', ')}`);
      for (const rendition of renditions) {
        const parts: Buffer[] = [];
        for await (const part of await storage.get(rendition.playlist_key))
          parts.push(part as Buffer);
        const folder = rendition.playlist_key.slice(0, -'index.m3u8'.length);
        const segments = segmentsOf(Buffer.concat(parts).toString('utf8'));
        assert.ok(segments.length >= 4, `${rendition.name}: ${segments.length} segments`);
        for (const segment of segments) assert.ok(stored.has(`${folder}${segment.uri}`));
      }
    },
  );
});
