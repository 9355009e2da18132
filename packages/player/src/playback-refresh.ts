import { LecternApiError, type Playback } from '@lectern/sdk';

/** Playback URLs are asked for again this long before their token expires. */
const refreshLead = 60_000;
/** After a failed refresh (a network blip), the next try comes this much later. */
const refreshRetry = 15_000;
/** However soon a token expires, the next ask waits at least this long. */
const shortestWait = 5_000;

export interface PlaybackRefreshOptions {
  /** Asks the API for new playback URLs. */
  ask(): Promise<Playback>;
  /** New URLs arrived (with a later expiry). */
  renewed(playback: Playback): void;
  /** Access was taken back on the way (403 or 404): playback must end. */
  refused(error: unknown): void;
}

/**
 * Keeps one playback's URLs fresh: asks for new ones shortly before the token in the current
 * ones expires, so that a long video or a long pause does not end in refused segments. The
 * stream keeps the URLs it attached with; `currentUrl` points each request at the newest
 * token as it goes out. Made anew for each playback answer; `stop()` ends it for good.
 */
export class PlaybackRefresh {
  readonly #options: PlaybackRefreshOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  /** Where the attached stream's URLs point, and where they should point now. */
  #attached = '';
  #current = '';

  constructor(options: PlaybackRefreshOptions) {
    this.#options = options;
  }

  /** Plans the next ask for `playback`, by its expiry or after `delay`. */
  schedule(playback: Playback, delay?: number): void {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    const wait =
      delay ?? Math.max(shortestWait, Date.parse(playback.expiresAt) - Date.now() - refreshLead);
    this.#timer = setTimeout(() => void this.#refresh(playback), wait);
  }

  /** The stream attaches with this playlist: its URLs are the ones to rewrite from now on. */
  attach(playlistUrl: string): void {
    this.#attached = this.#current = baseOf(playlistUrl);
  }

  /** The URL to fetch in place of one the stream names. */
  currentUrl(url: string): string {
    return this.#attached && url.startsWith(this.#attached)
      ? this.#current + url.slice(this.#attached.length)
      : url;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #refresh(previous: Playback): Promise<void> {
    try {
      const playback = await this.#options.ask();
      if (this.#stopped) return;
      this.#current = baseOf(playback.playlistUrl);
      this.#options.renewed(playback);
      this.schedule(playback);
    } catch (error) {
      if (this.#stopped) return;
      const refused = error instanceof LecternApiError && [403, 404].includes(error.status);
      if (refused) this.#options.refused(error);
      else this.schedule(previous, refreshRetry);
    }
  }
}

/** A playback URL up to and including its token: `…/api/v1/playback/<token>/`. */
function baseOf(playlistUrl: string): string {
  return playlistUrl.slice(0, playlistUrl.lastIndexOf('/') + 1);
}
