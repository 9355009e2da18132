import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runFfmpeg } from './ffmpeg.ts';
import type { KeyServer } from './key-server.ts';
import type { RenditionPlan } from './ladder.ts';

/** Seconds per segment; keyframes are forced on this grid so that segments keep it. */
export const segmentSeconds = 4;

/** The URI written into playlists; playback replaces it with a tokened key URL per viewer. */
export const playlistKeyUri = 'key';

export interface EncodedRendition {
  plan: RenditionPlan;
  /** The 16-byte AES-128 key its segments are encrypted with; never written to disk. */
  contentKey: Buffer;
  /** The folder holding `index.m3u8` and `seg-NNNNN.ts`. */
  folder: string;
}

export interface EncodeInput {
  sourceUrl: string;
  plans: RenditionPlan[];
  hasAudio: boolean;
  framesPerSecond: number | null;
  /** A private (0700) folder that receives the encrypted output. */
  workFolder: string;
  keys: KeyServer;
  timeoutMs: number;
}

/**
 * Encodes every rendition in one ffmpeg run (one decode, one encode per rung). ffmpeg's HLS
 * muxer encrypts each segment with AES-128 as it writes it, fetching the rung's key from the
 * loopback key server; the key info file on disk names only that URL and the IV.
 */
export async function encodeHls(input: EncodeInput): Promise<EncodedRendition[]> {
  const fps = input.framesPerSecond ?? 25;
  const keyframeInterval = Math.max(1, Math.round(segmentSeconds * fps));
  const encoded: EncodedRendition[] = [];
  const args = ['-i', input.sourceUrl];

  for (const plan of input.plans) {
    const folder = path.join(input.workFolder, plan.name);
    await mkdir(folder, { mode: 0o700 });
    const contentKey = randomBytes(16);
    const keyInfo = path.join(input.workFolder, `${plan.name}.keyinfo`);
    const iv = randomBytes(16).toString('hex');
    await writeFile(keyInfo, `${playlistKeyUri}\n${input.keys.add(contentKey)}\n${iv}\n`, {
      mode: 0o600,
    });
    encoded.push({ plan, contentKey, folder });

    args.push('-map', '0:v:0', ...(input.hasAudio ? ['-map', '0:a:0'] : []));
    args.push(
      '-vf',
      `scale=${plan.width}:${plan.height},setsar=1`,
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-profile:v',
      'high',
      '-level:v',
      plan.level,
      '-pix_fmt',
      'yuv420p',
      '-b:v',
      `${plan.videoKbps}k`,
      '-maxrate',
      `${Math.round(plan.videoKbps * 1.5)}k`,
      '-bufsize',
      `${plan.videoKbps * 2}k`,
      // x264 places keyframes by scene otherwise, and segments can only cut at keyframes.
      '-g',
      String(keyframeInterval),
      '-keyint_min',
      String(keyframeInterval),
      '-sc_threshold',
      '0',
      '-force_key_frames',
      `expr:gte(t,n_forced*${segmentSeconds})`,
    );
    if (input.hasAudio) args.push('-c:a', 'aac', '-b:a', '128k', '-ac', '2');
    args.push(
      '-max_muxing_queue_size',
      '1024',
      '-f',
      'hls',
      '-hls_time',
      String(segmentSeconds),
      '-hls_playlist_type',
      'vod',
      '-hls_segment_type',
      'mpegts',
      '-hls_flags',
      'independent_segments',
      '-hls_key_info_file',
      keyInfo,
      '-hls_segment_filename',
      path.join(folder, 'seg-%05d.ts'),
      path.join(folder, 'index.m3u8'),
    );
  }

  await runFfmpeg(args, { timeoutMs: input.timeoutMs });
  return encoded;
}
