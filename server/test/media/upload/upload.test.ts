import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openRange } from '../../../src/media/crypto/object-opener.ts';
import { getTenantKey } from '../../../src/media/crypto/tenant-keys.ts';
import { originalObjectId } from '../../../src/media/media-services.ts';
import { forEachDatabase } from '../../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../../support/lectern.ts';
import { makeMediaFiles } from '../../support/media-files.ts';
import { s3StorageEnv, startS3Server, type S3TestServer } from '../../support/s3.ts';
import { tusClient, uploadAll } from '../../support/tus.ts';

const files = makeMediaFiles();

/** The upload suite, run against each storage driver. */
function uploadSuite(storageEnv: () => Record<string, string>) {
  return (openDatabase: () => Promise<import('../../../src/db/database.ts').Database>) => {
    let lectern: TestLectern;
    let tenant: TestTenant;
    let author: Awaited<ReturnType<TestLectern['signIn']>>;

    before(async () => {
      lectern = await startTestLectern(await openDatabase(), storageEnv(), {
        jobs: 'queue-and-workers',
      });
      tenant = await lectern.createTenant();
      author = await lectern.signIn(tenant, ['author']);
    });
    after(() => lectern.stop());

    async function original(videoId: string): Promise<Buffer> {
      const video = await lectern.db('videos').where({ id: videoId }).first();
      const media = lectern.server.context.media;
      const tenantKey = await getTenantKey(lectern.db, media.keyring, tenant.id);
      const stored = await media.storage.head(video.original_key);
      const plaintext = await openRange({
        tenantKey,
        objectId: originalObjectId(videoId),
        ciphertextLength: stored?.size as number,
        readCiphertext: (start, end) => media.storage.get(video.original_key, { start, end }),
      });
      const parts: Buffer[] = [];
      for await (const part of plaintext) parts.push(part as Buffer);
      return Buffer.concat(parts);
    }

    it('an upload in odd-sized pieces is committed in whole chunks and arrives byte for byte', async () => {
      const client = tusClient(lectern, author.token);
      const created = await client.create(files.large.length, {
        filename: 'large.mkv',
        filetype: 'video/x-matroska',
      });
      assert.equal(created.status, 201);
      const location = created.headers.get('location') as string;
      const videoId = created.headers.get('lectern-video-id') as string;

      const first = await client.patch(location, 0, files.large.subarray(0, 100_000));
      assert.equal(first.status, 204);
      assert.equal(first.offset, 65_536, 'only the whole chunk counts');
      assert.equal((await client.head(location)).offset, 65_536);

      const done = await uploadAll(client, location, files.large, 3_000_000);
      assert.equal(done?.status, 204);
      assert.equal(done?.offset, files.large.length);
      assert.equal(done?.headers.get('lectern-video-id'), videoId);

      const video = await lectern.request('GET', `/api/v1/videos/${videoId}`, {
        token: author.token,
      });
      assert.ok(['processing', 'in_review'].includes(video.body.state), video.body.state);
      assert.equal(video.body.title, 'large');
      assert.equal((await lectern.waitForState(videoId, 'in_review')).state, 'in_review');
      assert.ok((await lectern.db('renditions').where({ video_id: videoId })).length > 0);
      assert.ok((await original(videoId)).equals(files.large));
      const leftovers = [];
      for await (const object of lectern.server.context.media.storage.list(
        `tenants/${tenant.id}/uploads/`,
      )) {
        leftovers.push(object.key);
      }
      assert.deepEqual(leftovers, [], 'the parts are gone once the original is whole');
    });

    it('an MP4 with its index at the end is recognised from its content', async () => {
      const client = tusClient(lectern, author.token);
      const created = await client.create(files.mp4.length, {
        filename: 'talk.mp4',
        title: 'Fire safety',
      });
      const done = await uploadAll(
        client,
        created.headers.get('location') as string,
        files.mp4,
        1 << 20,
      );
      assert.equal(done?.status, 204);
      const videoId = created.headers.get('lectern-video-id') as string;
      const row = await lectern.db('videos').where({ id: videoId }).first();
      assert.match(row.container, /mp4/);
      assert.ok(row.duration_seconds > 1.5);
    });

    it('a body cut off midway keeps its whole chunks, and the upload resumes from there', async () => {
      const client = tusClient(lectern, author.token);
      const created = await client.create(files.large.length, { filename: 'cut.mkv' });
      const location = created.headers.get('location') as string;

      await client.patchThenCut(location, 0, files.large, 5_000_000);
      // The server commits what it received once it notices the cut; a client retries later.
      let resumed = await client.head(location);
      for (let waited = 0; resumed.offset === 0 && waited < 5000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        resumed = await client.head(location);
      }
      assert.ok(resumed.offset > 0 && resumed.offset % 65_536 === 0, `offset ${resumed.offset}`);
      assert.ok(resumed.offset <= 5_000_000);

      const done = await uploadAll(client, location, files.large.subarray(0), 4_000_000).then(
        async () => client.head(location),
      );
      assert.equal(done.offset, files.large.length);
      assert.ok(
        (await original(created.headers.get('lectern-video-id') as string)).equals(files.large),
      );
    });
  };
}

forEachDatabase(
  'uploads to the local folder',
  uploadSuite(() => ({})),
);

describe('uploads to S3', () => {
  let s3: S3TestServer;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3?.stop());
  forEachDatabase(
    'uploads to the S3 API',
    uploadSuite(() => s3StorageEnv(s3)),
  );
});
