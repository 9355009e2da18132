import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sealStream } from '../../../src/media/crypto/index.ts';
import type { VideoState } from '../../../src/media/library/videos.ts';
import { tenantKeyFor } from '../../../src/media/media-services.ts';
import { wrapContentKey } from '../../../src/media/processing/content-keys.ts';
import { posterObjectId } from '../../../src/media/processing/poster.ts';
import type { TestLectern } from '../../support/lectern.ts';
import { makeVideo } from '../../support/videos.ts';
import { temporaryFolder } from '../../support/temp-folder.ts';

/** A real encrypted HLS rendition as ffmpeg writes it, kept in a folder of its own. */
export interface EncodedHls {
  folder: string;
  contentKey: Buffer;
  playlist: string;
  segments: string[];
  poster: Buffer;
}

let encoded: EncodedHls | undefined;

/** Four seconds of test picture and tone in two AES-128 segments, made once per process. */
export function encodedHls(): EncodedHls {
  if (encoded) return encoded;
  const folder = temporaryFolder('lectern-hls-');
  const contentKey = randomBytes(16);
  writeFileSync(path.join(folder, 'content.key'), contentKey);
  writeFileSync(
    path.join(folder, 'key-info'),
    `key\n${path.join(folder, 'content.key')}\n${randomBytes(16).toString('hex')}\n`,
  );
  const ffmpeg = (...args: string[]) =>
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], {
      cwd: folder,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  ffmpeg(
    ...['-f', 'lavfi', '-i', 'testsrc=duration=4:size=320x240:rate=25'],
    ...['-f', 'lavfi', '-i', 'sine=duration=4'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-g', '50'],
    ...['-hls_time', '2', '-hls_playlist_type', 'vod', '-hls_key_info_file', 'key-info'],
    ...['-hls_segment_filename', 'seg-%05d.ts', 'index.m3u8'],
  );
  ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '1', 'poster.jpg');
  encoded = {
    folder,
    contentKey,
    playlist: readFileSync(path.join(folder, 'index.m3u8'), 'utf8'),
    segments: readdirSync(folder)
      .filter((name) => name.endsWith('.ts'))
      .sort(),
    poster: readFileSync(path.join(folder, 'poster.jpg')),
  };
  return encoded;
}

/**
 * A video in the given state whose transcoding finished: one rendition stored as the
 * transcoder stores it (playlist and encrypted segments, content key wrapped in its row),
 * and a sealed poster.
 */
export async function makePlayableVideo(
  lectern: TestLectern,
  input: { tenantId: string; ownerId: string; state: VideoState; renditionName?: string },
) {
  const video = await makeVideo(lectern.db, input);
  const hls = encodedHls();
  const media = lectern.server.context.media;
  const storage = media.storage;
  const tenantKey = await tenantKeyFor(lectern.db, media, input.tenantId);
  const name = input.renditionName ?? '360p';
  const folder = `tenants/${input.tenantId}/videos/${video.id}/hls/${name}/`;

  await storage.put(`${folder}index.m3u8`, Buffer.from(hls.playlist));
  for (const segment of hls.segments) {
    await storage.put(`${folder}${segment}`, readFileSync(path.join(hls.folder, segment)));
  }
  await lectern.db('renditions').insert({
    id: randomUUID(),
    tenant_id: input.tenantId,
    video_id: video.id,
    name,
    width: 320,
    height: 240,
    bandwidth: 400_000,
    codecs: 'avc1.42c00d,mp4a.40.2',
    playlist_key: `${folder}index.m3u8`,
    content_key: wrapContentKey(
      tenantKey,
      { videoId: video.id, renditionName: name },
      hls.contentKey,
    ),
  });

  const posterKey = `tenants/${input.tenantId}/videos/${video.id}/poster`;
  await storage.put(
    posterKey,
    sealStream(hls.poster, { tenantKey, objectId: posterObjectId(video.id) }),
  );
  await lectern.db('videos').where({ id: video.id }).update({ poster_key: posterKey });
  return { video, segmentFolder: folder };
}

/** The path of a URL the server answered, for `lectern.request`. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname;
}
