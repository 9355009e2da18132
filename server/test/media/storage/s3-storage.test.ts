import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { pino } from 'pino';
import { S3Storage } from '../../../src/media/storage/s3-storage.ts';
import type { S3StorageConfig } from '../../../src/media/storage/s3-storage.ts';
import { startS3Server } from '../../support/s3.ts';
import type { S3TestServer } from '../../support/s3.ts';
import { describeStorageContract, sha256 } from './storage-contract.ts';
import { failingStream, gatedStream, streamOf } from './streams.ts';

const silent = pino({ level: 'silent' });

function configFor(server: S3TestServer): S3StorageConfig {
  return {
    endpoint: server.endpoint,
    region: server.region,
    bucket: server.bucket,
    forcePathStyle: true,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
  };
}

/** The uploads S3 still holds parts of, asked through ListMultipartUploads. */
async function openUploads(server: S3TestServer): Promise<string[]> {
  const client = new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
  const answer = await client.send(new ListMultipartUploadsCommand({ Bucket: server.bucket }));
  client.destroy();
  return (answer.Uploads ?? []).map((upload) => `${upload.Key} (${upload.UploadId})`);
}

describeStorageContract('s3', async () => {
  const server = await startS3Server();
  return {
    storage: new S3Storage(configFor(server), silent),
    leftovers: () => openUploads(server),
    requestsServed: async () => (await server.requests()).length,
    close: () => server.stop(),
  };
});

describe('s3 storage on a real S3 API (s3rver)', () => {
  let server: S3TestServer;

  before(async () => {
    server = await startS3Server();
  });
  after(() => server.stop());

  /** The requests made while the action ran. */
  async function requestsDuring(action: () => Promise<unknown>): Promise<string[]> {
    const before = (await server.requests()).length;
    await action();
    return (await server.requests()).slice(before);
  }

  it('sends a 20 MB stream as three parts that s3rver joins byte-identical', async () => {
    const storage = new S3Storage(configFor(server), silent);
    const original = randomBytes(20 * 1024 * 1024);
    const key = 'tenants/t1/original.enc';

    const requests = await requestsDuring(() => storage.put(key, streamOf(original, 100_000)));

    const object = `/${server.bucket}/${key}`;
    assert.deepEqual(requests, [
      `POST ${object}?uploads`,
      `PUT ${object}?partNumber&uploadId`,
      `PUT ${object}?partNumber&uploadId`,
      `PUT ${object}?partNumber&uploadId`,
      `POST ${object}?uploadId`,
    ]);
    const stored = await readFile(path.join(server.folder, server.bucket, `${key}._S3rver_object`));
    assert.equal(sha256(stored), sha256(original));
  });

  it('sends an object smaller than a part as one PutObject', async () => {
    const storage = new S3Storage(configFor(server), silent);

    const requests = await requestsDuring(() =>
      storage.put('small/object', streamOf(randomBytes(300_000), 4096)),
    );

    assert.deepEqual(requests, [`PUT /${server.bucket}/small/object`]);
  });

  it('aborts the multipart upload when the stream fails after a part went up', async () => {
    const storage = new S3Storage(configFor(server), silent);
    // The first 8 MiB part is up when the stream fails half a mebibyte later.
    const body = failingStream(randomBytes(9 * 1024 * 1024), 8.5 * 1024 * 1024);
    const requests = await requestsDuring(() =>
      assert.rejects(storage.put('aborted/object', body), /went away/),
    );

    const object = `/${server.bucket}/aborted/object`;
    assert.deepEqual(requests, [
      `POST ${object}?uploads`,
      `PUT ${object}?partNumber&uploadId`,
      `DELETE ${object}?uploadId`,
    ]);
    assert.deepEqual(await openUploads(server), []);
  });

  it('logs the upload id when S3 goes away mid-upload and the abort cannot reach it', async () => {
    const vanishing = await startS3Server();
    const warnings: { event: string; objectKey: string; uploadId: string }[] = [];
    const logger = pino(
      { level: 'warn' },
      { write: (line: string) => warnings.push(JSON.parse(line)) },
    );
    const storage = new S3Storage(configFor(vanishing), logger);
    const { stream, firstChunkTaken, release } = gatedStream(randomBytes(18 * 1024 * 1024));

    const putting = storage.put('vanishing/object', stream);
    await firstChunkTaken;
    while (!(await vanishing.requests()).some((request) => request.includes('?partNumber'))) {
      await setTimeout(10);
    }
    await vanishing.stop();
    release();

    await assert.rejects(putting);
    assert.equal(warnings.length, 1);
    assert.partialDeepStrictEqual(warnings[0], {
      event: 'storage.multipart_abort_failed',
      objectKey: 'vanishing/object',
    });
    assert.match(warnings[0]?.uploadId ?? '', /^[0-9a-f]{32}$/);
  });

  it('lists and deletes a prefix page by page, a batch of deletions per page', async () => {
    const storage = new S3Storage({ ...configFor(server), pageSize: 2 }, silent);
    for (let index = 0; index < 5; index += 1) {
      await storage.put(`paged/object-${index}`, Buffer.from([index]));
    }

    const listed = [];
    for await (const { key } of storage.list('paged/')) listed.push(key);
    assert.equal(listed.length, 5);

    let count = 0;
    const requests = await requestsDuring(async () => {
      count = await storage.deletePrefix('paged/');
    });
    assert.equal(count, 5);
    assert.equal(requests.filter((request) => request.endsWith('?delete')).length, 3);
  });

  it('passes server-side encryption through when asked to', async () => {
    const storage = new S3Storage({ ...configFor(server), serverSideEncryption: 'AES256' }, silent);
    const requests = await requestsDuring(() => storage.put('sse/object', Buffer.from('x')));
    assert.deepEqual(requests, [`PUT /${server.bucket}/sse/object sse=AES256`]);
  });

  it('describes endpoint, region and bucket, and never the secret', () => {
    const storage = new S3Storage(configFor(server), silent);
    const location = storage.describe();

    assert.deepEqual(location, {
      kind: 's3',
      endpoint: server.endpoint,
      region: server.region,
      bucket: server.bucket,
    });
    assert.ok(!JSON.stringify(location).includes(server.secretAccessKey));
  });

  it('refuses an endpoint that carries credentials', () => {
    assert.throws(
      () =>
        new S3Storage({ ...configFor(server), endpoint: 'https://key:secret@s3.example' }, silent),
      /must not carry credentials/,
    );
  });
});
