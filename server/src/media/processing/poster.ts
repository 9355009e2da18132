import { sealStream } from '../crypto/object-sealer.ts';
import type { TenantKey } from '../crypto/tenant-keys.ts';
import type { ObjectStorage } from '../storage/object-storage.ts';
import { runFfmpeg } from './ffmpeg.ts';

/** The id a poster is sealed under; opening needs the same. */
export const posterObjectId = (videoId: string) => `video:${videoId}:poster`;

export const posterKey = (tenantId: string, videoId: string) =>
  `tenants/${tenantId}/videos/${videoId}/poster`;

/**
 * Takes one frame about a tenth into the video as a JPEG through ffmpeg's pipe, and stores it
 * sealed: the picture exists in plaintext only in memory.
 */
export async function storePoster(input: {
  sourceUrl: string;
  durationSeconds: number | null;
  tenantKey: TenantKey;
  tenantId: string;
  videoId: string;
  storage: ObjectStorage;
  chunkSize: number;
  timeoutMs: number;
}): Promise<string> {
  const at = Math.max(0, (input.durationSeconds ?? 0) * 0.1);
  const { stdout: jpeg } = await runFfmpeg(
    [
      '-ss',
      at.toFixed(3),
      '-i',
      input.sourceUrl,
      '-frames:v',
      '1',
      '-f',
      'image2pipe',
      '-c:v',
      'mjpeg',
      '-q:v',
      '3',
      'pipe:1',
    ],
    { timeoutMs: input.timeoutMs, keepStdout: true },
  );
  if (jpeg.length === 0) throw new Error('ffmpeg wrote no poster frame');

  const key = posterKey(input.tenantId, input.videoId);
  const sealed = sealStream(jpeg, {
    tenantKey: input.tenantKey,
    objectId: posterObjectId(input.videoId),
    chunkSize: input.chunkSize,
  });
  await input.storage.put(key, sealed);
  jpeg.fill(0);
  return key;
}
