import type { Knex } from 'knex';
import type { Logger } from '../../http/logger.ts';
import { LecternError } from '../../http/errors.ts';
import { loadTenantSettings } from '../../identity/tenant-settings.ts';
import type { JobQueue } from '../../jobs/boss.ts';
import { moveVideo, stateAfterUpload } from '../../review/workflow.ts';
import { openRange } from '../crypto/object-opener.ts';
import { requireVideo, type Video } from '../library/videos.ts';
import {
  mediaKeys,
  originalObjectId,
  tenantKeyFor,
  type MediaServices,
} from '../media-services.ts';
import { probe, type ProbeResult } from '../processing/probe.ts';
import { serveDecrypted } from '../processing/range-server.ts';
import {
  transcodeQueue,
  transcodeSendOptions,
  type TranscodeJob,
} from '../processing/transcode-video.ts';
import { partsOf, type UploadRecord } from './upload-records.ts';

/**
 * Turns a fully committed upload into the video's original: the parts are joined (still
 * ciphertext) into one object, ffprobe reads it decrypted over loopback, and the video moves
 * to `processing` together with its transcode job. A file that is no video is removed with
 * everything that came with it. Safe to run again after a crash: each step repeats without harm.
 */
export async function finalizeUpload(
  db: Knex,
  media: MediaServices,
  jobs: JobQueue | undefined,
  log: Logger,
  upload: UploadRecord,
  actor: string,
): Promise<Video> {
  const originalKey = mediaKeys.original(upload.tenantId, upload.videoId);
  const size = await joinParts(db, media, upload, originalKey);

  const probed = await probeOriginal(db, media, upload, originalKey, size);
  if (!probed) {
    await media.storage.deletePrefix(mediaKeys.video(upload.tenantId, upload.videoId));
    await media.storage.deletePrefix(mediaKeys.upload(upload.tenantId, upload.id));
    await db('videos').where({ id: upload.videoId, tenant_id: upload.tenantId }).delete();
    throw new LecternError('upload.not_video');
  }

  // Sending to a queue that no worker has created yet fails; never await this inside the
  // transaction below (PGlite has one connection).
  await jobs?.createQueue(transcodeQueue);
  const video = await db.transaction(async (trx) => {
    await trx('uploads').where({ id: upload.id }).update({ completed_at: trx.fn.now() });
    await trx('videos').where({ id: upload.videoId, tenant_id: upload.tenantId }).update({
      original_key: originalKey,
      original_size: upload.length,
      container: probed.container,
      duration_seconds: probed.durationSeconds,
    });
    const current = await requireVideo(trx, upload.tenantId, upload.videoId);
    if (current.state !== 'uploading') return current;
    if (jobs) {
      const job: TranscodeJob = { tenantId: upload.tenantId, videoId: upload.videoId };
      await jobs.sendInTransaction(trx, transcodeQueue, job, transcodeSendOptions);
      return moveVideo(trx, current, 'processing', actor);
    }
    // TODO: a process without a job queue cannot transcode, so the video skips processing and
    // has no renditions to play; run every API process with jobs on to avoid this.
    log.warn({ event: 'video.processing_skipped', videoId: upload.videoId });
    const settings = await loadTenantSettings(trx, upload.tenantId);
    return moveVideo(trx, current, stateAfterUpload(settings.review.required), actor);
  });
  await media.storage.deletePrefix(mediaKeys.upload(upload.tenantId, upload.id));
  return video;
}

async function joinParts(
  db: Knex,
  media: MediaServices,
  upload: UploadRecord,
  originalKey: string,
): Promise<number> {
  const parts = await partsOf(db, upload.id);
  let expected = 0;
  for (const part of parts) {
    if (part.firstChunk !== expected)
      throw new Error(`upload ${upload.id}: parts are not contiguous`);
    expected += part.chunkCount;
  }
  const size = upload.header.length + parts.reduce((sum, part) => sum + part.size, 0);
  const existing = await media.storage.head(originalKey);
  if (existing?.size === size) return size;

  async function* body() {
    yield upload.header;
    for (const part of parts) yield* await media.storage.get(part.storageKey);
  }
  await media.storage.put(originalKey, body(), { length: size });
  return size;
}

async function probeOriginal(
  db: Knex,
  media: MediaServices,
  upload: UploadRecord,
  originalKey: string,
  storedSize: number,
): Promise<ProbeResult | undefined> {
  const tenantKey = await tenantKeyFor(db, media, upload.tenantId);
  const served = await serveDecrypted({
    length: upload.length,
    read: (start, end) =>
      openRange({
        tenantKey,
        objectId: originalObjectId(upload.videoId),
        ciphertextLength: storedSize,
        range: { start, end },
        readCiphertext: (from, to) => media.storage.get(originalKey, { start: from, end: to }),
      }),
  });
  try {
    const result = await probe(served.url);
    // Still images are "video" to ffprobe too; a training video lasts and moves.
    const still =
      !result?.durationSeconds || /(^|,)(image2|[a-z0-9]+_pipe)(,|$)/.test(result.container);
    return result && result.hasVideo && !still ? result : undefined;
  } finally {
    await served.close();
  }
}
