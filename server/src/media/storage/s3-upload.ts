import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { CompletedPart, S3Client, ServerSideEncryption } from '@aws-sdk/client-s3';
import type { Logger } from '../../http/logger.ts';

/** S3 takes at most this many parts; a larger object needs larger parts. */
export const maxParts = 10_000;

export interface UploadTarget {
  client: S3Client;
  bucket: string;
  key: string;
  partSize: number;
  serverSideEncryption: ServerSideEncryption | undefined;
  logger: Logger;
}

interface Part {
  bytes: Buffer;
  /** True when the body ended with this part. */
  last: boolean;
}

/**
 * Stores the chunks under the key. A body that fits one part goes up as one PutObject;
 * a longer one as a multipart upload, which S3 makes visible only when it is completed and
 * which is aborted when anything fails, so that no part lingers (and costs).
 *
 * Every request body is a Buffer: the SDK can retry it and sign it, and no request is cut
 * off midway when the caller's stream fails.
 */
export async function uploadObject(
  target: UploadTarget,
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ size: number }> {
  const parts = partsOf(chunks, target.partSize);
  const first = await parts.next();
  if (first.done) throw new Error('partsOf ended without a part');

  if (first.value.last) {
    const { bytes } = first.value;
    await target.client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        Body: bytes,
        ContentLength: bytes.byteLength,
        ServerSideEncryption: target.serverSideEncryption,
      }),
    );
    return { size: bytes.byteLength };
  }

  return uploadInParts(target, first.value, parts);
}

async function uploadInParts(
  target: UploadTarget,
  first: Part,
  rest: AsyncGenerator<Part>,
): Promise<{ size: number }> {
  const { client, bucket, key } = target;
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ServerSideEncryption: target.serverSideEncryption,
    }),
  );
  if (!UploadId) throw new Error(`S3 started a multipart upload of "${key}" without an id.`);

  const completed: CompletedPart[] = [];
  let size = 0;
  try {
    // One part at a time: an abort never races a part still on its way.
    // TODO: Uploading two or three parts at once would fill a long link to a distant
    // region better; until then one upload's throughput is one part's round trip.
    for (let part: Part | undefined = first; part;) {
      const PartNumber = completed.length + 1;
      if (PartNumber > maxParts) {
        throw new Error(`"${key}" needs more than ${maxParts} parts; announce its length.`);
      }
      const { ETag } = await client.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          PartNumber,
          Body: part.bytes,
          ContentLength: part.bytes.byteLength,
        }),
      );
      completed.push({ ETag, PartNumber });
      size += part.bytes.byteLength;

      if (part.last) break;
      // A failing body throws here, between parts.
      const next = await rest.next();
      part = next.done ? undefined : next.value;
    }

    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: completed },
      }),
    );
    return { size };
  } catch (error) {
    await rest.return(undefined);
    await abortUpload(target, UploadId);
    throw error;
  }
}

async function abortUpload(target: UploadTarget, uploadId: string): Promise<void> {
  try {
    await target.client.send(
      new AbortMultipartUploadCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId: uploadId,
      }),
    );
  } catch (error) {
    // The put has failed already; say so with the reason it failed, and leave a trace of
    // the parts that now wait for the bucket's lifecycle rule.
    target.logger.warn({
      event: 'storage.multipart_abort_failed',
      objectKey: target.key,
      uploadId,
      err: error,
    });
  }
}

/**
 * Cuts the chunks into parts of exactly `partSize` bytes and a last, shorter one (empty for
 * an empty body). A part is handed out only once a byte beyond it has arrived, so the part
 * that says `last` is known to be the last. Holds at most one part and one chunk in memory.
 */
export async function* partsOf(
  chunks: AsyncIterable<Uint8Array>,
  partSize: number,
): AsyncGenerator<Part> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;

  for await (const chunk of chunks) {
    pending.push(chunk);
    pendingBytes += chunk.byteLength;
    if (pendingBytes <= partSize) continue;

    const joined = Buffer.concat(pending, pendingBytes);
    let offset = 0;
    while (joined.byteLength - offset > partSize) {
      yield { bytes: joined.subarray(offset, offset + partSize), last: false };
      offset += partSize;
    }
    pending = [joined.subarray(offset)];
    pendingBytes = joined.byteLength - offset;
  }

  yield { bytes: Buffer.concat(pending, pendingBytes), last: true };
}
