import type { StreamHandle } from './hls-engine.js';
import { PlayerFailure, playerErrorCodes } from './player-error.js';

export type { StreamHandle } from './hls-engine.js';

export interface AttachOptions {
  /** Seconds to start at. */
  start: number;
  /** Called when playback fails for good, with a `player.*` code. */
  onFatal(code: string, details: string): void;
  /** The URL to fetch in place of one the stream names (a fresher playback token). */
  currentUrl(url: string): string;
}

const hlsType = 'application/vnd.apple.mpegurl';

/**
 * Attaches the stream: through hls.js wherever Media Source Extensions exist (loaded now, on
 * first use), through the browser's own HLS where they do not (Safari on older iPhones).
 * Native HLS fetches the URLs it was given, so there a token refresh cannot reach a stream
 * already playing: it ends with `player.network` once its token expires, and Retry loads it anew.
 */
export async function attachStream(
  video: HTMLVideoElement,
  playlistUrl: string,
  options: AttachOptions,
): Promise<StreamHandle> {
  if (!('MediaSource' in globalThis) && video.canPlayType(hlsType)) {
    return attachNative(video, playlistUrl, options);
  }

  const { attachHls, hlsSupported } = await import('./hls-engine.js');
  if (!hlsSupported()) throw new PlayerFailure(playerErrorCodes.unsupported);
  return attachHls(video, playlistUrl, {
    startPosition: options.start > 0 ? options.start : -1,
    onFatal: options.onFatal,
    currentUrl: options.currentUrl,
  });
}

function attachNative(video: HTMLVideoElement, url: string, options: AttachOptions): StreamHandle {
  const seekToStart = () => {
    if (options.start > 0) video.currentTime = options.start;
  };
  const failed = () => {
    const network = video.error?.code === MediaError.MEDIA_ERR_NETWORK;
    options.onFatal(
      network ? playerErrorCodes.network : playerErrorCodes.mediaError,
      video.error?.message ?? '',
    );
  };
  video.addEventListener('loadedmetadata', seekToStart, { once: true });
  video.addEventListener('error', failed);
  video.src = url;

  return {
    destroy() {
      video.removeEventListener('loadedmetadata', seekToStart);
      video.removeEventListener('error', failed);
      video.removeAttribute('src');
      video.load();
    },
  };
}
