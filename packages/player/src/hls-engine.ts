// Loaded with `import()` only when playback starts: hls.js is most of the player's weight.
// This module must import nothing but hls.js, so that the script-tag build keeps it in a chunk
// of its own that the classic (IIFE) build can load too.
import Hls from 'hls.js/light';

/** A stream attached to a `<video>`; `destroy` detaches it and stops every request. */
export interface StreamHandle {
  destroy(): void;
}

export interface HlsOptions {
  /** Seconds to start at; -1 for the stream's own start. */
  startPosition: number;
  /** Called once, with `player.network` or `player.media_error`, when playback cannot go on. */
  onFatal(code: 'player.network' | 'player.media_error', details: string): void;
  /** The URL to fetch in place of one the playlists name. */
  currentUrl(url: string): string;
}

/** True when this browser has Media Source Extensions that hls.js can use. */
export function hlsSupported(): boolean {
  return Hls.isSupported();
}

/** Plays the HLS master playlist at `url` through hls.js (AES-128 keys included). */
export function attachHls(video: HTMLVideoElement, url: string, options: HlsOptions): StreamHandle {
  const hls = new Hls({
    startPosition: options.startPosition,
    // Opening the request here takes the place of hls.js's own open with the listed URL.
    xhrSetup: (xhr, url) => {
      const current = options.currentUrl(url);
      if (current !== url) xhr.open('GET', current, true);
    },
  });
  let recoveredOnce = false;

  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    // A decode hiccup often clears after hls.js rebuilds its buffers; a second one will not.
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recoveredOnce) {
      recoveredOnce = true;
      hls.recoverMediaError();
      return;
    }
    const code =
      data.type === Hls.ErrorTypes.NETWORK_ERROR ? 'player.network' : 'player.media_error';
    hls.destroy();
    options.onFatal(code, data.details);
  });

  hls.loadSource(url);
  hls.attachMedia(video);
  return { destroy: () => hls.destroy() };
}
