import type { Rendition } from './renditions.ts';

/** The only segment names the transcoder writes, and the only ones served. */
export const segmentName = /^seg-\d{5}\.ts$/;

/** Where a playback token's resources live; every URL is absolute and carries the token. */
export interface PlaybackUrls {
  master: string;
  poster: string;
  mediaPlaylist(rendition: string): string;
  key(rendition: string): string;
  segment(rendition: string, segment: string): string;
  track(kind: string, language: string): string;
}

export function playbackUrls(publicUrl: string, token: string): PlaybackUrls {
  const base = `${publicUrl}/api/v1/playback/${token}`;
  return {
    master: `${base}/master.m3u8`,
    poster: `${base}/poster.jpg`,
    mediaPlaylist: (rendition) => `${base}/${encodeURIComponent(rendition)}/index.m3u8`,
    key: (rendition) => `${base}/${encodeURIComponent(rendition)}/key`,
    segment: (rendition, segment) => `${base}/${encodeURIComponent(rendition)}/${segment}`,
    track: (kind, language) =>
      `${base}/tracks/${encodeURIComponent(kind)}/${encodeURIComponent(language)}`,
  };
}

/** A master playlist naming each rendition with what a player needs to choose among them. */
export function masterPlaylist(renditions: readonly Rendition[], urls: PlaybackUrls): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const rendition of renditions) {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${rendition.bandwidth},` +
        `RESOLUTION=${rendition.width}x${rendition.height},CODECS="${rendition.codecs}"`,
      urls.mediaPlaylist(rendition.name),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A stored media playlist that does not look like the transcoder's output. */
export class PlaylistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlaylistError';
  }
}

/**
 * The stored media playlist with every key URI pointing at this viewer's key URL and every
 * segment at this viewer's segment URL; order and all other tags stay as they are. A line
 * that is neither a tag nor a known segment name is refused rather than passed to a player.
 */
export function rewriteMediaPlaylist(
  stored: string,
  rendition: string,
  urls: PlaybackUrls,
): string {
  const lines = stored.split(/\r?\n/);
  const rewritten = lines.map((line) => {
    if (line.startsWith('#EXT-X-KEY:')) return rewriteKeyLine(line, urls.key(rendition));
    if (line.startsWith('#EXT-X-MAP:')) {
      throw new PlaylistError('The playlist names an initialisation segment; none is served.');
    }
    if (line === '' || line.startsWith('#')) return line;
    if (!segmentName.test(line)) {
      throw new PlaylistError(`The playlist names a segment "${line.slice(0, 40)}" not served.`);
    }
    return urls.segment(rendition, line);
  });
  return rewritten.join('\n');
}

function rewriteKeyLine(line: string, keyUrl: string): string {
  if (/METHOD=NONE/.test(line)) return line;
  const withUri = line.replace(/URI="[^"]*"/, `URI="${keyUrl}"`);
  if (withUri === line) throw new PlaylistError('A key line of the playlist has no URI.');
  return withUri;
}
