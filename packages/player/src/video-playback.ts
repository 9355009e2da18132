import { LecternClient, type Playback, type TokenSource } from '@lectern/sdk';
import { attachStream, type StreamHandle } from './media-engine.js';
import { PlaybackRefresh } from './playback-refresh.js';
import { PlayerFailure } from './player-error.js';
import { tokenFromUrl } from './session-source.js';

/** How the element is told where to find Lectern and who is watching. */
export interface PlaybackConnection {
  client: LecternClient | undefined;
  baseUrl: string;
  token: TokenSource | undefined;
  tokenUrl: string;
}

/** The client to ask, or undefined while the connection is not complete. */
export function clientFor(connection: PlaybackConnection): LecternClient | undefined {
  if (connection.client) return connection.client;
  if (!connection.baseUrl) return undefined;
  const { token: given, tokenUrl } = connection;
  const token = given ?? (tokenUrl ? tokenFromUrl(tokenUrl) : undefined);
  if (!token) return undefined;
  return new LecternClient({ baseUrl: connection.baseUrl, token });
}

export interface VideoPlaybackOptions {
  /** Asks the API for the video's playback URLs. */
  ask(): Promise<Playback>;
  /** Playback cannot go on: the stream failed for good, or access was taken back. */
  failed(failure: PlayerFailure, details?: string): void;
}

/**
 * One video's playback as the player holds it: the API's answer, kept fresh once accepted,
 * and the stream attached to the `<video>` on the first play. `detach()` lets go of both; a
 * later `attach()` starts a stream again, without a refresh.
 */
export class VideoPlayback {
  readonly #options: VideoPlaybackOptions;
  #current: Playback | undefined;
  #refresh: PlaybackRefresh | undefined;
  #stream: Promise<StreamHandle> | undefined;

  constructor(options: VideoPlaybackOptions) {
    this.#options = options;
  }

  /** The latest answer: the poster, the text tracks and the playlist; undefined until loaded. */
  get current(): Playback | undefined {
    return this.#current;
  }

  /** True once a stream is attached (or attaching). */
  get attached(): boolean {
    return this.#stream !== undefined;
  }

  /** Asks for the first answer; `accept` it once it is still wanted. */
  load(): Promise<Playback> {
    return this.#options.ask();
  }

  /** Takes `answer` as the current one, and asks again shortly before its token expires. */
  accept(answer: Playback): void {
    this.#current = answer;
    this.#refresh = new PlaybackRefresh({
      ask: () => this.#options.ask(),
      renewed: (renewed) => (this.#current = renewed),
      refused: (error) => this.#options.failed(PlayerFailure.from(error)),
    });
    this.#refresh.schedule(answer);
  }

  /** Attaches the stream to `media` unless it is already; settles once it can play. */
  attach(media: HTMLVideoElement, start: number): Promise<StreamHandle> {
    if (this.#stream) return this.#stream;
    const playlistUrl = this.#current?.playlistUrl ?? '';
    const refresh = this.#refresh;
    refresh?.attach(playlistUrl);
    this.#stream = attachStream(media, playlistUrl, {
      start,
      // Keys and segments keep working past the first token's expiry.
      currentUrl: (url) => refresh?.currentUrl(url) ?? url,
      onFatal: (code, details) => this.#options.failed(new PlayerFailure(code), details),
    });
    return this.#stream;
  }

  /** Stops the refresh and takes the stream down. */
  detach(): void {
    this.#refresh?.stop();
    this.#refresh = undefined;
    const stream = this.#stream;
    this.#stream = undefined;
    void stream?.then((handle) => handle.destroy()).catch(() => undefined);
  }
}
