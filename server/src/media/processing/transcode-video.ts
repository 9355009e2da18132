import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from '../../http/logger.ts';
import { loadTenantSettings } from '../../identity/tenant-settings.ts';
import type { SendOptions } from '../../jobs/boss.ts';
import { moveVideo, stateAfterUpload } from '../../review/workflow.ts';
import { openRange } from '../crypto/object-opener.ts';
import type { TenantKey } from '../crypto/tenant-keys.ts';
import { findVideo, requireVideo, type Video } from '../library/videos.ts';
import { originalObjectId, tenantKeyFor, type MediaServices } from '../media-services.ts';
import { wrapContentKey } from './content-keys.ts';
import { FfmpegError } from './ffmpeg.ts';
import { encodeHls, type EncodedRendition } from './hls-encode.ts';
import { startKeyServer } from './key-server.ts';
import { planLadder } from './ladder.ts';
import { storePoster } from './poster.ts';
import { probe } from './probe.ts';
import { serveDecrypted, type ServedObject } from './range-server.ts';
import { hlsKeys, storeRendition, type StoredRendition } from './rendition-output.ts';

export const transcodeQueue = 'video.transcode';

export interface TranscodeJob {
  tenantId: string;
  videoId: string;
}

/**
 * Three retries with growing pauses. The heartbeat lets a job whose worker died come back
 * within a minute or two instead of after the long expiry that a real transcode needs.
 */
export const transcodeSendOptions = {
  retryLimit: 3,
  retryDelay: 5,
  retryBackoff: true,
  expireInSeconds: 3 * 60 * 60,
  heartbeatSeconds: 10,
} satisfies SendOptions;

const transcodeAttempts = transcodeSendOptions.retryLimit + 1;
const encodeTimeoutMs = (transcodeSendOptions.expireInSeconds - 10 * 60) * 1000;
const posterTimeoutMs = 5 * 60 * 1000;
const actor = 'system:processing';

/**
 * Turns a video's original into encrypted HLS renditions and a sealed poster. Everything is
 * stored under a fresh attempt folder first; one transaction then records the renditions and
 * moves the video on, so that a run that dies midway leaves nothing anyone can see.
 */
export async function transcodeVideo(
  db: Knex,
  media: MediaServices,
  log: Logger,
  job: TranscodeJob,
): Promise<void> {
  const video = await findVideo(db, job.tenantId, job.videoId);
  if (!video) return;
  if (video.state !== 'processing') {
    // An earlier attempt committed and died before it tidied up.
    await removeStaleAttempts(db, media, video);
    return;
  }
  const attempt = await countAttempt(db, video);
  const attemptId = randomUUID();
  const attemptPrefix = hlsKeys.attempt(video.tenantId, video.id, attemptId);
  const videoLog = log.child({ tenantId: video.tenantId, videoId: video.id, attempt });
  const started = Date.now();

  let committed: boolean;
  try {
    committed = await produce(db, media, video, attemptPrefix);
  } catch (error) {
    await media.storage.deletePrefix(attemptPrefix).catch(() => 0);
    const code = failureCode(error);
    if (attempt < transcodeAttempts) {
      videoLog.warn({ event: 'video.processing_retry', code, err: error });
      throw error;
    }
    videoLog.error({ event: 'video.processing_failed', code, err: error });
    await markFailed(db, video);
    return;
  }

  if (!committed) {
    await media.storage.deletePrefix(attemptPrefix);
    return;
  }
  await removeStaleAttempts(db, media, video);
  videoLog.info({ event: 'video.transcoded', seconds: (Date.now() - started) / 1000 });
}

/** Encodes, stores and commits; false when another attempt got there first. */
async function produce(
  db: Knex,
  media: MediaServices,
  video: Video,
  attemptPrefix: string,
): Promise<boolean> {
  const tenantKey = await tenantKeyFor(db, media, video.tenantId);
  const served = await serveOriginal(media, tenantKey, video);
  const workFolder = await mkdtemp(path.join(tmpdir(), 'lectern-hls-'));
  const keys = await startKeyServer();
  let encoded: EncodedRendition[] = [];
  try {
    const probed = await probe(served.url);
    if (!probed?.picture) throw new Error('the original has no readable picture');
    encoded = await encodeHls({
      sourceUrl: served.url,
      plans: planLadder(probed.picture),
      hasAudio: probed.hasAudio,
      framesPerSecond: probed.picture.framesPerSecond,
      workFolder,
      keys,
      timeoutMs: encodeTimeoutMs,
    });
    const stored: StoredRendition[] = [];
    for (const rendition of encoded) {
      stored.push(await storeRendition(media.storage, attemptPrefix, rendition, probed.hasAudio));
    }
    const posterKey = await storePoster({
      sourceUrl: served.url,
      durationSeconds: probed.durationSeconds,
      tenantKey,
      tenantId: video.tenantId,
      videoId: video.id,
      storage: media.storage,
      chunkSize: media.chunkSize,
      timeoutMs: posterTimeoutMs,
    });
    return await commit(db, tenantKey, video, encoded, stored, posterKey);
  } finally {
    for (const rendition of encoded) rendition.contentKey.fill(0);
    await keys.close();
    await served.close();
    // Only ciphertext was in there, but it is not ours to leave behind.
    await rm(workFolder, { recursive: true, force: true });
  }
}

function serveOriginal(media: MediaServices, tenantKey: TenantKey, video: Video) {
  const originalKey = video.originalKey;
  const length = video.originalSize;
  if (!originalKey || length === null) throw new Error('the video has no original');
  return media.storage.head(originalKey).then((head): Promise<ServedObject> => {
    if (!head) throw new Error('the original is missing from storage');
    return serveDecrypted({
      length,
      read: (start, end) =>
        openRange({
          tenantKey,
          objectId: originalObjectId(video.id),
          ciphertextLength: head.size,
          range: { start, end },
          readCiphertext: (from, to) => media.storage.get(originalKey, { start: from, end: to }),
        }),
    });
  });
}

/** Records the renditions and moves the video on, in one step, once every object is stored. */
function commit(
  db: Knex,
  tenantKey: TenantKey,
  video: Video,
  encoded: EncodedRendition[],
  stored: StoredRendition[],
  posterKey: string,
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const locked = await trx('videos')
      .where({ id: video.id, tenant_id: video.tenantId })
      .forUpdate()
      .first('state');
    if (locked?.state !== 'processing') return false;

    await trx('renditions').insert(
      stored.map((rendition, index) => ({
        id: randomUUID(),
        tenant_id: video.tenantId,
        video_id: video.id,
        name: rendition.name,
        width: rendition.width,
        height: rendition.height,
        bandwidth: rendition.bandwidth,
        codecs: rendition.codecs,
        playlist_key: rendition.playlistKey,
        content_key: wrapContentKey(
          tenantKey,
          { videoId: video.id, renditionName: rendition.name },
          (encoded[index] as EncodedRendition).contentKey,
        ),
      })),
    );
    await trx('videos').where({ id: video.id }).update({ poster_key: posterKey });
    const current = await requireVideo(trx, video.tenantId, video.id);
    const settings = await loadTenantSettings(trx, video.tenantId);
    await moveVideo(trx, current, stateAfterUpload(settings.review.required), actor);
    return true;
  });
}

async function countAttempt(db: Knex, video: Video): Promise<number> {
  const [row] = (await db('videos')
    .where({ id: video.id, tenant_id: video.tenantId })
    .increment('processing_attempts', 1)
    .returning('processing_attempts')) as { processing_attempts: number }[];
  return row?.processing_attempts ?? transcodeAttempts;
}

async function markFailed(db: Knex, video: Video): Promise<void> {
  await db.transaction(async (trx) => {
    const current = await requireVideo(trx, video.tenantId, video.id);
    if (current.state === 'processing') await moveVideo(trx, current, 'failed', actor);
  });
}

/** Removes every attempt folder that no recorded rendition points into. */
async function removeStaleAttempts(db: Knex, media: MediaServices, video: Video): Promise<void> {
  const all = hlsKeys.all(video.tenantId, video.id);
  const kept = new Set(
    (
      (await db('renditions').where({ video_id: video.id }).select('playlist_key')) as {
        playlist_key: string;
      }[]
    ).map((row) => row.playlist_key.slice(all.length).split('/')[0]),
  );
  const stale = new Set<string>();
  for await (const object of media.storage.list(all)) {
    const attemptId = object.key.slice(all.length).split('/')[0];
    if (attemptId && !kept.has(attemptId)) stale.add(attemptId);
  }
  for (const attemptId of stale) {
    await media.storage.deletePrefix(hlsKeys.attempt(video.tenantId, video.id, attemptId));
  }
}

/** A short, stable word for logs: ffmpeg's exit, or the error's own code or name. */
function failureCode(error: unknown): string {
  if (error instanceof FfmpegError) {
    return error.signal ? `ffmpeg.signal_${error.signal}` : `ffmpeg.exit_${error.exitCode}`;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown';
}
