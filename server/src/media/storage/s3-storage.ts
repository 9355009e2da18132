import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { Logger } from '../../http/logger.ts';
import { assertValidLength, checkedChunks } from './body.ts';
import { assertValidKey, assertValidPrefix, assertValidRange } from './keys.ts';
import type { ByteRange, ObjectBody, ObjectStorage, StorageLocation } from './object-storage.ts';
import { exactRange } from './s3-range.ts';
import { maxParts, uploadObject } from './s3-upload.ts';
import { notFound, rangeNotSatisfiable } from './storage-error.ts';

export interface S3StorageConfig {
  /** An S3-compatible service's URL; AWS itself when absent. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`; most non-AWS services want it. */
  forcePathStyle: boolean;
  /** Both or neither; without them the SDK's own chain applies (environment, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** A PEM file of CAs to trust for the endpoint's TLS certificate (a private CA). */
  caFile?: string;
  /** Passed through to S3; Lectern encrypts every object itself and does not rely on it. */
  serverSideEncryption?: 'AES256' | 'aws:kms';
  /** Bytes per multipart part, at least 5 MiB (S3's floor); 8 MiB unless set. */
  partSize?: number;
  /** Objects per list page and per delete batch, at most 1,000 (S3's most); 1,000 unless set. */
  pageSize?: number;
}

const defaultPartSize = 8 * 1024 * 1024;
const minPartSize = 5 * 1024 * 1024;
const maxPageSize = 1000;

/** Objects in one S3 bucket, through `@aws-sdk/client-s3`. */
export class S3Storage implements ObjectStorage {
  readonly #client: S3Client;
  readonly #config: S3StorageConfig;
  readonly #partSize: number;
  readonly #pageSize: number;
  readonly #logger: Logger;

  constructor(config: S3StorageConfig, logger: Logger) {
    if (config.endpoint && /^[a-z]+:\/\/[^/]*@/i.test(config.endpoint)) {
      throw new TypeError('The S3 endpoint must not carry credentials; configure them apart.');
    }
    if (Boolean(config.accessKeyId) !== Boolean(config.secretAccessKey)) {
      throw new TypeError('An S3 access key id and secret access key go together.');
    }
    this.#config = config;
    this.#partSize = Math.max(config.partSize ?? defaultPartSize, minPartSize);
    this.#pageSize = Math.min(Math.max(config.pageSize ?? maxPageSize, 1), maxPageSize);
    this.#logger = logger;
    this.#client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials:
        config.accessKeyId && config.secretAccessKey
          ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
          : undefined,
      requestHandler: config.caFile
        ? { httpsAgent: new Agent({ keepAlive: true, ca: readFileSync(config.caFile, 'utf8') }) }
        : undefined,
      // With its default checksums the SDK sends a streamed body aws-chunked, which s3rver
      // stores verbatim (framing and all) and other S3-compatible services may refuse.
      // Lectern's own encryption authenticates every chunk, so checksums only where S3
      // demands them (DeleteObjects).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(
    key: string,
    body: ObjectBody,
    options: { length?: number } = {},
  ): Promise<{ size: number }> {
    assertValidKey(key);
    assertValidLength(key, options.length);

    // A known length that would need more than maxParts parts gets larger parts.
    const partSize = Math.max(this.#partSize, Math.ceil((options.length ?? 0) / maxParts));
    return uploadObject(
      {
        client: this.#client,
        bucket: this.#config.bucket,
        key,
        partSize,
        serverSideEncryption: this.#config.serverSideEncryption,
        logger: this.#logger,
      },
      checkedChunks(key, body, options.length),
    );
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertValidKey(key);
    assertValidRange(key, range);

    let answer;
    try {
      answer = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#config.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
    } catch (error) {
      if (error instanceof NoSuchKey) throw notFound(key, error);
      if (range && statusOf(error) === 416) {
        const size = (await this.head(key))?.size;
        throw size === undefined ? notFound(key, error) : rangeNotSatisfiable(key, range, size);
      }
      throw error;
    }

    const body = answer.Body;
    if (!(body instanceof Readable)) {
      throw new Error(`S3 answered a read of "${key}" without a readable body.`);
    }
    if (!range) return body;
    return exactRange(
      key,
      range,
      { contentRange: answer.ContentRange, contentLength: answer.ContentLength },
      body,
    );
  }

  async head(key: string): Promise<{ size: number } | undefined> {
    assertValidKey(key);

    try {
      const answer = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#config.bucket, Key: key }),
      );
      return { size: answer.ContentLength ?? 0 };
    } catch (error) {
      // A HEAD answer has no body to tell a missing key from a missing bucket.
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#config.bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertValidPrefix(prefix);

    let count = 0;
    for await (const page of this.#pages(prefix)) {
      if (page.length === 0) continue;
      const answer = await this.#client.send(
        new DeleteObjectsCommand({
          Bucket: this.#config.bucket,
          Delete: { Objects: page.map(({ key }) => ({ Key: key })), Quiet: true },
        }),
      );
      const failed = answer.Errors ?? [];
      if (failed.length > 0) {
        const example = failed[0];
        throw new Error(
          `S3 kept ${failed.length} objects under "${prefix}", such as "${example?.Key}" ` +
            `(${example?.Code}: ${example?.Message}); ${count} were deleted before.`,
        );
      }
      count += page.length;
    }
    return count;
  }

  list(prefix: string): AsyncIterable<{ key: string; size: number }> {
    // Checked now, not when the caller starts to iterate.
    assertValidPrefix(prefix);
    return this.#list(prefix);
  }

  describe(): StorageLocation {
    const { endpoint, region, bucket } = this.#config;
    return {
      kind: 's3',
      endpoint: endpoint ?? `https://s3.${region}.amazonaws.com`,
      region,
      bucket,
    };
  }

  async *#list(prefix: string): AsyncGenerator<{ key: string; size: number }> {
    for await (const page of this.#pages(prefix)) yield* page;
  }

  /** The objects under the prefix, one page (and one DeleteObjects batch) at a time. */
  async *#pages(prefix: string): AsyncGenerator<{ key: string; size: number }[]> {
    let ContinuationToken: string | undefined;
    do {
      const answer = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#config.bucket,
          Prefix: prefix,
          MaxKeys: this.#pageSize,
          ContinuationToken,
        }),
      );
      yield (answer.Contents ?? []).flatMap(({ Key, Size }) =>
        Key === undefined ? [] : [{ key: Key, size: Size ?? 0 }],
      );
      ContinuationToken = answer.IsTruncated ? answer.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}
