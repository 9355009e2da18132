import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { removeExpiredUploads } from '../../../src/media/upload/upload-maintenance.ts';
import { forEachDatabase, type OpenDatabase } from '../../support/databases.ts';
import { s3StorageEnv, startS3Server, type S3TestServer } from '../../support/s3.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../../support/lectern.ts';
import { makeMediaFiles, windowsOf } from '../../support/media-files.ts';
import { allTables, findPlaintext } from '../../support/plaintext-scan.ts';
import { tusClient, uploadAll } from '../../support/tus.ts';

const files = makeMediaFiles();

/** The refusals, run against each storage driver; `folders` are where its objects rest. */
const refusals =
  (storage: () => { env: Record<string, string>; folders: string[] }) =>
  (openDatabase: OpenDatabase) => {
    let lectern: TestLectern;
    let tenant: TestTenant;
    let author: Awaited<ReturnType<TestLectern['signIn']>>;
    let admin: Awaited<ReturnType<TestLectern['signIn']>>;
    let client: ReturnType<typeof tusClient>;

    before(async () => {
      lectern = await startTestLectern(await openDatabase(), storage().env);
      tenant = await lectern.createTenant();
      author = await lectern.signIn(tenant, ['author']);
      admin = await lectern.signIn(tenant, ['admin']);
      client = tusClient(lectern, author.token);
    });
    after(() => lectern.stop());

    const objectsOf = async () => {
      const keys: string[] = [];
      for await (const object of lectern.server.context.media.storage.list(
        `tenants/${tenant.id}/`,
      )) {
        keys.push(object.key);
      }
      return keys;
    };
    const videoCount = async () =>
      Number((await lectern.db('videos').where({ tenant_id: tenant.id }).count({ n: '*' }))[0]?.n);

    it('refuses an empty file, a missing length and a malformed title before storing anything', async () => {
      const before = await videoCount();
      const empty = await client.create(0, { filename: 'empty.mp4' });
      assert.equal(empty.status, 400, JSON.stringify(empty.error));
      assert.equal(empty.error?.code, 'upload.empty');
      const deferred = await client.create(undefined, { filename: 'a.mp4' });
      assert.equal(deferred.status, 400, JSON.stringify(deferred.error));
      const longTitle = await client.create(1000, { filename: 'a.mp4', title: 'x'.repeat(201) });
      assert.equal(longTitle.error?.code, 'upload.metadata_invalid');
      assert.equal(await videoCount(), before);
    });

    it('keeps only the name of a path-like file name and never uses it to store anything', async () => {
      const created = await client.create(files.mp4.length, {
        filename: '../../../etc/passwd.mp4',
      });
      assert.equal(created.status, 201);
      const id = (created.headers.get('location') as string).split('/').pop();
      const row = await lectern.db('uploads').where({ id }).first();
      assert.equal(row.metadata.filename, 'passwd.mp4');
      const video = await lectern.db('videos').where({ id: row.video_id }).first();
      assert.equal(video.title, 'passwd');
      assert.equal((await client.remove(created.headers.get('location') as string)).status, 204);
    });

    it('refuses a file over the size limit and uploads over the quota', async () => {
      await lectern.request('PATCH', '/api/v1/tenant/settings', {
        token: admin.token,
        body: { upload: { maxFileBytes: 5_000_000, quotaBytes: 8_000_000 } },
      });
      const large = await client.create(6_000_000, { filename: 'big.mkv' });
      assert.equal(large.status, 413);
      assert.equal(large.error?.code, 'upload.too_large');

      const first = await client.create(4_000_000, { filename: 'one.mkv' });
      assert.equal(first.status, 201);
      const second = await client.create(4_500_000, { filename: 'two.mkv' });
      assert.equal(second.status, 413);
      assert.equal(second.error?.code, 'upload.quota_exceeded');
      await client.remove(first.headers.get('location') as string);
      await lectern.request('PATCH', '/api/v1/tenant/settings', {
        token: admin.token,
        body: { upload: { maxFileBytes: 10 * 1024 ** 3, quotaBytes: 200 * 1024 ** 3 } },
      });
    });

    it('refuses a text file with a video name, keeping nothing of it', async () => {
      const before = await videoCount();
      const created = await client.create(files.fake.length, {
        filename: 'talk.mp4',
        filetype: 'video/mp4',
      });
      const done = await uploadAll(
        client,
        created.headers.get('location') as string,
        files.fake,
        1 << 20,
      );
      assert.equal(done?.status, 415);
      assert.equal(done?.error?.code, 'upload.not_video');
      assert.equal(await videoCount(), before);
      assert.deepEqual(await objectsOf(), []);
    });

    it('refuses a wrong offset, and a resume with other bytes than before', async () => {
      const created = await client.create(files.large.length, { filename: 'offsets.mkv' });
      const location = created.headers.get('location') as string;
      const ahead = await client.patch(location, 65_536, files.large.subarray(65_536, 200_000));
      assert.equal(ahead.status, 409);
      assert.equal(ahead.error?.code, 'upload.offset_mismatch');
      assert.equal((await client.head(location)).offset, 0);

      // Sealed chunks that never got committed may only be sealed again with the same bytes.
      await lectern
        .db('uploads')
        .where({ id: location.split('/').pop() })
        .update({ pending_from: 0, pending_hashes: Buffer.alloc(32, 7) });
      const changed = await client.patch(location, 0, files.large.subarray(0, 70_000));
      assert.equal(changed.status, 409);
      assert.equal(changed.error?.code, 'upload.data_changed');
      assert.equal((await client.head(location)).offset, 0);
      await client.remove(location);
    });

    it('of two PATCHes racing on one upload, one wins and the other gets a 4xx', async () => {
      const created = await client.create(files.large.length, { filename: 'race.mkv' });
      const location = created.headers.get('location') as string;
      const body = files.large.subarray(0, 6_000_000);
      const answers = await Promise.all([
        client.patch(location, 0, body),
        client.patch(location, 0, body),
      ]);
      const statuses = answers.map((answer) => answer.status).sort();
      assert.ok(statuses.includes(204), `statuses ${statuses}`);
      assert.ok(
        statuses.every((status) => status === 204 || (status >= 400 && status < 500)),
        `statuses ${statuses}`,
      );
      const offset = (await client.head(location)).offset;
      assert.equal(offset % 65_536, 0);
      const done = await uploadAll(client, location, files.large, 4_000_000);
      assert.equal(done?.status, 204);
    });

    it("another author's upload does not exist for them", async () => {
      const created = await client.create(files.mp4.length, { filename: 'mine.mp4' });
      const location = created.headers.get('location') as string;
      const other = tusClient(lectern, (await lectern.signIn(tenant, ['author'])).token);
      assert.equal((await other.head(location)).status, 404);
      assert.equal((await other.patch(location, 0, files.mp4)).status, 404);
      await client.remove(location);
    });

    it('expired uploads are removed with their parts and their waiting video', async () => {
      const created = await client.create(files.large.length, { filename: 'forgotten.mkv' });
      const location = created.headers.get('location') as string;
      await client.patch(location, 0, files.large.subarray(0, 5_000_000));
      const id = location.split('/').pop();
      assert.ok((await objectsOf()).some((key) => key.includes(`/uploads/${id}/`)));

      await lectern
        .db('uploads')
        .where({ id })
        .update({ expires_at: new Date(Date.now() - 1000) });
      assert.equal((await client.head(location)).status, 410);
      assert.ok((await removeExpiredUploads(lectern.db, lectern.server.context.media)) >= 1);
      assert.ok(!(await objectsOf()).some((key) => key.includes(`/uploads/${id}/`)));
      assert.equal(await lectern.db('uploads').where({ id }).first(), undefined);
    });

    it('deleting a video removes its objects', async () => {
      const created = await client.create(files.mp4.length, { filename: 'gone.mp4' });
      await uploadAll(client, created.headers.get('location') as string, files.mp4, 1 << 20);
      const videoId = created.headers.get('lectern-video-id') as string;
      assert.ok((await objectsOf()).some((key) => key.includes(videoId)));
      const answer = await lectern.request('DELETE', `/api/v1/videos/${videoId}`, {
        token: author.token,
      });
      assert.equal(answer.status, 204);
      assert.ok(!(await objectsOf()).some((key) => key.includes(videoId)));
    });

    it('no plaintext of an upload rests anywhere: storage folder, database or temp folders', async () => {
      const created = await client.create(files.large.length, { filename: 'secret.mkv' });
      const location = created.headers.get('location') as string;
      await client.patchThenCut(location, 0, files.large, 3_000_000);
      const done = await uploadAll(client, location, files.large, 2_500_000);
      assert.equal(done?.status, 204);

      const windows = windowsOf(files.large).concat(windowsOf(files.mp4));
      // The scan does find the file where it is in plaintext: the test's own copy.
      const control = await findPlaintext(windows, {
        folders: [files.folder],
        db: lectern.db,
        tables: [],
      });
      assert.ok(control.some((file) => file.endsWith('large.mkv')));
      const found = await findPlaintext(windows, {
        folders: [lectern.dataDir, ...storage().folders],
        db: lectern.db,
        tables: await allTables(lectern.db),
      });
      assert.deepEqual(found, []);
    });
  };

forEachDatabase(
  'uploads to the local folder refuse what they must, and leave nothing behind',
  refusals(() => ({ env: {}, folders: [] })),
);

describe('uploads to S3', () => {
  let s3: S3TestServer;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3?.stop());
  forEachDatabase(
    'uploads to the S3 API refuse what they must, and leave nothing behind',
    refusals(() => ({
      env: s3StorageEnv(s3),
      folders: [s3.folder],
    })),
  );
});
