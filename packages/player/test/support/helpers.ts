import '../../src/index.js';
import type { LecternPlayer } from '../../src/index.js';

// `fetched` reads the resource timings: the default buffer of 250 fills up within a file.
performance.setResourceTimingBufferSize(100_000);

/**
 * Where the playback API answers. The dev server's stand-in serves the shape of the real API
 * with an ffmpeg-made encrypted stream; when the real `GET /api/v1/videos/:id/playback` lands,
 * this becomes the real server's URL (from `/__lectern/fixture`) and the ids those of real,
 * processed videos.
 */
export const playbackBaseUrl = `${location.origin}/__lectern/playback-fixture`;

/** Video ids the stand-in knows: one that plays, and the refusals of the real API. */
export const videos = {
  playable: 'fixture-video',
  noAccess: 'no-access',
  forbidden: 'forbidden',
  processing: 'processing',
  /** Plays back with a playlist URL whose playback token the stream refuses. */
  expiredStream: 'expired-stream',
  /** The stream with captions (de), subtitles (en) and chapters (de, en). */
  withTracks: 'with-tracks',
  /** A token that expires in 61 s and is refused once the next is handed out; slow segments. */
  rotatingToken: 'rotating-token',
} as const;

/** A session token shaped like the server's; the stand-in only checks that one is sent. */
export const sessionToken = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.signature';

/** A muted player (so that play() needs no gesture) in a container with the given language. */
export async function mountPlayer(
  options: { lang?: string; video?: string; attributes?: Record<string, string> } = {},
): Promise<LecternPlayer> {
  const container = document.createElement('div');
  container.lang = options.lang ?? 'en';
  const player = document.createElement('lectern-player');
  player.setAttribute('base-url', playbackBaseUrl);
  player.setAttribute('video', options.video ?? videos.playable);
  player.setAttribute('muted', '');
  player.token = sessionToken;
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    player.setAttribute(name, value);
  }
  container.append(player);
  document.body.append(container);
  await player.updateComplete;
  return player;
}

export function removeMounted(): void {
  for (const player of document.querySelectorAll('lectern-player')) player.parentElement?.remove();
}

export function part<T extends HTMLElement = HTMLElement>(
  player: LecternPlayer,
  name: string,
): T | null {
  return player.shadowRoot?.querySelector<T>(`[part~="${name}"]`) ?? null;
}

export function label(player: LecternPlayer, name: string): string | null {
  return part(player, name)?.getAttribute('aria-label') ?? null;
}

/** Waits until `condition` holds, checking every few milliseconds. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The next event of this type from the player. */
export function nextEvent<T>(player: LecternPlayer, type: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) => {
    player.addEventListener(type, (event) => resolve(event as CustomEvent<T>), { once: true });
  });
}

/** Resolves when the video element hands a decoded frame to the compositor. */
export function decodedFrame(video: HTMLVideoElement, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('No frame was decoded.')), timeoutMs);
    video.requestVideoFrameCallback((_now, metadata) => {
      clearTimeout(timer);
      resolve(metadata.presentedFrames);
    });
  });
}

/** The URLs this page has fetched so far whose path contains `fragment`. */
/** URLs fetched whose path holds `fragment`; with `since`, only requests started after it. */
export function fetched(fragment: string, since = 0): string[] {
  return performance
    .getEntriesByType('resource')
    .filter((entry) => entry.startTime >= since)
    .map((entry) => entry.name)
    .filter((name) => new URL(name).pathname.includes(fragment));
}

/** The player's `<video>`, which exists from its first render on. */
export function videoOf(player: LecternPlayer): HTMLVideoElement {
  const media = player.media;
  if (!media) throw new Error('The player has no <video>.');
  return media;
}

/** A part that must be there. */
export function must<T extends HTMLElement = HTMLElement>(player: LecternPlayer, name: string): T {
  const found = part<T>(player, name);
  if (!found) throw new Error(`The player has no part "${name}".`);
  return found;
}
