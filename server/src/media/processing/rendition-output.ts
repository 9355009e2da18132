import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStorage } from '../storage/object-storage.ts';
import { audioCodec } from './ladder.ts';
import type { EncodedRendition } from './hls-encode.ts';

/** Storage keys of HLS output: one folder per transcode attempt, one below it per rendition. */
export const hlsKeys = {
  all: (tenantId: string, videoId: string) => `tenants/${tenantId}/videos/${videoId}/hls/`,
  attempt: (tenantId: string, videoId: string, attemptId: string) =>
    `tenants/${tenantId}/videos/${videoId}/hls/${attemptId}/`,
};

/** A rendition as the `renditions` table stores it, before its content key is wrapped. */
export interface StoredRendition {
  name: string;
  width: number;
  height: number;
  bandwidth: number;
  codecs: string;
  playlistKey: string;
}

/**
 * Copies one rendition's playlist and segments (AES-128 ciphertext already) into storage,
 * segments first, so that a playlist in storage never names a segment that is missing.
 */
export async function storeRendition(
  storage: ObjectStorage,
  attemptPrefix: string,
  rendition: EncodedRendition,
  hasAudio: boolean,
): Promise<StoredRendition> {
  const { plan, folder } = rendition;
  const prefix = `${attemptPrefix}${plan.name}/`;
  const playlist = await readFile(path.join(folder, 'index.m3u8'), 'utf8');
  const segments = segmentsOf(playlist);
  if (segments.length === 0) throw new Error(`rendition ${plan.name} has no segments`);

  const onDisk = new Set(await readdir(folder));
  let bandwidth = 0;
  for (const segment of segments) {
    if (!onDisk.has(segment.uri)) throw new Error(`rendition ${plan.name} lacks ${segment.uri}`);
    const bytes = await readFile(path.join(folder, segment.uri));
    await storage.put(`${prefix}${segment.uri}`, bytes);
    // BANDWIDTH is the peak rate of any segment, not the average.
    if (segment.seconds > 0) bandwidth = Math.max(bandwidth, (bytes.length * 8) / segment.seconds);
  }
  const playlistKey = `${prefix}index.m3u8`;
  await storage.put(playlistKey, Buffer.from(playlist, 'utf8'));

  return {
    name: plan.name,
    width: plan.width,
    height: plan.height,
    bandwidth: Math.ceil(bandwidth),
    codecs: hasAudio ? `${plan.videoCodec},${audioCodec}` : plan.videoCodec,
    playlistKey,
  };
}

/** The segments a media playlist lists, each with its duration. */
export function segmentsOf(playlist: string): { uri: string; seconds: number }[] {
  const segments: { uri: string; seconds: number }[] = [];
  let seconds: number | undefined;
  for (const line of playlist.split(/\r?\n/).map((text) => text.trim())) {
    if (line.startsWith('#EXTINF:')) seconds = Number.parseFloat(line.slice('#EXTINF:'.length));
    else if (line !== '' && !line.startsWith('#')) {
      // Only plain file names: a path or URL would leave the rendition's folder.
      if (!/^[a-z0-9][a-z0-9_.-]*$/.test(line)) throw new Error(`unexpected segment URI ${line}`);
      segments.push({ uri: line, seconds: seconds ?? 0 });
      seconds = undefined;
    }
  }
  return segments;
}
