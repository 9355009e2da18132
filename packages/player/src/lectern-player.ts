import {
  createTranslator,
  logger,
  logRequestFailure,
  resolveLanguage,
  watchLanguage,
  type LecternClient,
  type TokenSource,
} from '@lectern/sdk';
import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import { playerStyles } from './lectern-player.styles.js';
import { catalogs } from './messages.js';
import { playerActions } from './player-controls.js';
import { fire, progressIntervalMs } from './player-events.js';
import { PlayerFailure, playerErrorCodes } from './player-error.js';
import { renderPlayer, type Chapter, type PlayerState } from './player-view.js';
import { captionSources, chapterSource, chaptersOf } from './text-tracks.js';
import { VideoPlayback, clientFor } from './video-playback.js';

const rates = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;

/**
 * Plays one Lectern video: its poster at once, then the encrypted HLS stream through hls.js
 * (loaded only when playback starts) or the browser's own HLS, with a control bar, keyboard
 * shortcuts and text in English and German.
 *
 * @summary Privacy-first playback of a Lectern training video.
 * @tagname lectern-player
 *
 * @attr base-url - The Lectern server's public URL; playback comes from `{base-url}/api/v1/videos/{video}/playback`.
 * @attr video - The id of the video to play.
 * @attr token - The session token, sent as a Bearer header. As a property it may also be a function that returns the current token.
 * @attr token-url - A URL on the host page's backend that answers `{ token, expiresAt? }` to a GET with the page's cookies; used when `token` is not set, and asked again shortly before the token expires.
 * @attr start - Seconds into the video at which playback starts.
 * @attr autoplay - Starts playing as soon as the video is known; browsers may refuse unless `muted` is set too.
 * @attr muted - Starts without sound; follows the mute button.
 * @attr lang - The language of the element's text, `en` or `de`; inherited from the nearest ancestor with `lang`, the document, or the browser.
 *
 * @event {CustomEvent<{ currentTime: number }>} lectern-play - Playback started or resumed.
 * @event {CustomEvent<{ currentTime: number; duration: number }>} lectern-progress - The position moved; at most once a second while playing.
 * @event {CustomEvent<{ duration: number }>} lectern-ended - The video played to its end.
 * @event {CustomEvent<{ code: string; message: string }>} lectern-error - The video cannot be played; `code` is stable (the server's, or `player.*`), `message` is the sentence shown.
 *
 * @csspart player - The whole player; a group labelled "Video player" that takes keyboard shortcuts.
 * @csspart stage - The area of the picture.
 * @csspart video - The `<video>`.
 * @csspart poster - The poster image, shown until playback starts.
 * @csspart big-play-button - The large button over the poster.
 * @csspart controls - The control bar.
 * @csspart play-button - Play and pause.
 * @csspart seek - The position slider.
 * @csspart time - Position and duration as text.
 * @csspart mute-button - Mute and unmute.
 * @csspart rate - The playback speed menu.
 * @csspart captions - The captions and subtitles menu (off, or a language); only present when the video has some.
 * @csspart chapters - The chapter menu, with the chapter playing selected; only present when the video has chapters.
 * @csspart fullscreen-button - Enters and leaves full screen.
 * @csspart error - The failure message with its retry button, in place of the controls.
 * @csspart error-message - The failure's sentence.
 * @csspart retry-button - Tries again after a failure.
 * @csspart status - The polite live region that says what is loading.
 *
 * @cssproperty --lectern-font-family - The font.
 * @cssproperty --lectern-font-size - The base font size.
 * @cssproperty --lectern-color-text - Text outside the control bar.
 * @cssproperty --lectern-color-surface - The background of the failure message.
 * @cssproperty --lectern-color-border - The retry button's border.
 * @cssproperty --lectern-color-accent - The big play button and the position slider.
 * @cssproperty --lectern-color-on-accent - The icon on the big play button.
 * @cssproperty --lectern-color-danger - The failure message.
 * @cssproperty --lectern-color-focus - The focus ring.
 * @cssproperty --lectern-radius - Corners of the player and its buttons.
 * @cssproperty --lectern-player-background - Behind the picture (letterboxing).
 * @cssproperty --lectern-player-aspect-ratio - The stage's shape; `16 / 9` unless set.
 * @cssproperty --lectern-player-controls-background - The control bar's background.
 * @cssproperty --lectern-player-controls-color - The control bar's icons and text.
 * @cssproperty --lectern-player-gap - Space between controls.
 */
export class LecternPlayer extends LitElement {
  static override styles = playerStyles;
  // Declared without decorators: tsc's `__decorate` helper breaks the bundle build.
  static override properties: PropertyDeclarations = {
    baseUrl: { attribute: 'base-url' },
    video: {},
    token: {},
    tokenUrl: { attribute: 'token-url' },
    client: { attribute: false },
    start: { type: Number },
    autoplay: { type: Boolean },
    muted: { type: Boolean, reflect: true },
    state: { state: true, attribute: false },
    started: { state: true, attribute: false },
    paused: { state: true, attribute: false },
    position: { state: true, attribute: false },
    length: { state: true, attribute: false },
    rate: { state: true, attribute: false },
    captionIndex: { state: true, attribute: false },
    chapters: { state: true, attribute: false },
    fullscreen: { state: true, attribute: false },
  };

  /** The Lectern server's public URL, for example `https://lectern.example.com`. */
  baseUrl = '';

  /** The id of the video to play. */
  video = '';

  /** The session token, or a function that returns the current one before each request. */
  token: TokenSource | undefined;

  /** The host backend's URL that hands out session tokens; used when `token` is not set. */
  tokenUrl = '';

  /** A ready `LecternClient`; takes the place of `base-url` and `token`. */
  client: LecternClient | undefined;

  /** Seconds into the video at which playback starts. */
  start = 0;

  /** Starts playing as soon as the video is known. */
  autoplay = false;

  /** Without sound; follows the mute button and the `m` key. */
  muted = false;

  /** `idle`, `ready` (poster shown), `loading`, `active` or `error`. */
  state: PlayerState = 'idle';

  private started = false;
  private paused = true;
  private position = 0;
  private length = 0;
  private rate = 1;
  private captionIndex = -1;
  private chapters: Chapter[] = [];
  private fullscreen = false;

  #playback: VideoPlayback | undefined;
  #failure: PlayerFailure | undefined;
  #generation = 0;
  #lastProgress = 0;
  #stopWatchingLanguage: (() => void) | undefined;

  /** The failure's code and the sentence shown for it, while the state is `error`. */
  get error(): { code: string; message: string } | undefined {
    return this.#failure && { code: this.#failure.code, message: this.#failureText() };
  }

  /** The `<video>` inside, for what the element does not offer itself. */
  get media(): HTMLVideoElement | null {
    return this.renderRoot?.querySelector('video') ?? null;
  }

  /** Seconds played. */
  get currentTime(): number {
    return this.media?.currentTime ?? 0;
  }

  set currentTime(seconds: number) {
    const media = this.media;
    if (media) media.currentTime = seconds;
  }

  /** Length in seconds, NaN until known. */
  get duration(): number {
    return this.media?.duration ?? Number.NaN;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stopWatchingLanguage = watchLanguage(this, () => this.requestUpdate());
    document.addEventListener('fullscreenchange', this.#fullscreenChanged);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopWatchingLanguage?.();
    document.removeEventListener('fullscreenchange', this.#fullscreenChanged);
    this.#detach();
  }

  /** Starts playback, loading the stream (and the engine) first when needed. */
  async play(): Promise<void> {
    const media = this.media;
    const playback = this.#playback;
    if (!media || !playback?.current || this.#failure) return;

    if (!playback.attached) this.state = 'loading';
    try {
      await playback.attach(media, this.start);
    } catch (error) {
      this.#fail(PlayerFailure.from(error));
      return;
    }
    if (this.state === 'loading') this.state = 'active';

    try {
      await media.play();
    } catch (error) {
      // Autoplay with sound is refused without a gesture, and a pause during play() aborts
      // it: either way the play button stays for the person to press.
      const name = error instanceof DOMException ? error.name : '';
      if (name === 'NotAllowedError' || name === 'AbortError' || this.#failure) return;
      this.#fail(new PlayerFailure(playerErrorCodes.mediaError), String(error));
    }
  }

  /** Pauses playback. */
  pause(): void {
    this.media?.pause();
  }

  protected override willUpdate(changed: PropertyValues): void {
    const connection = ['baseUrl', 'video', 'token', 'tokenUrl', 'client'];
    if (connection.some((name) => changed.has(name))) void this.#loadPlayback();
  }

  protected override firstUpdated(): void {
    const media = this.media;
    if (!media) return;
    media.addEventListener('play', () => {
      this.started = true;
      this.paused = false;
      fire(this, 'lectern-play', { currentTime: media.currentTime });
    });
    media.addEventListener('pause', () => (this.paused = true));
    media.addEventListener('durationchange', () => (this.length = media.duration));
    media.addEventListener('timeupdate', () => this.#timeUpdated(media));
    media.addEventListener('ended', () =>
      fire(this, 'lectern-ended', { duration: media.duration }),
    );
    media.addEventListener('volumechange', () => (this.muted = media.muted));
    media.addEventListener('ratechange', () => (this.rate = media.playbackRate));
  }

  protected override updated(): void {
    // Modes follow the menu; the chapters track is read (hidden) but never drawn.
    for (const element of this.renderRoot.querySelectorAll('track')) {
      if (element.kind === 'chapters') {
        if (element.track.mode !== 'hidden') {
          element.track.mode = 'hidden';
          element.addEventListener('load', () => (this.chapters = chaptersOf(element.track)), {
            once: true,
          });
        }
        continue;
      }
      const index = this.#captionSources().findIndex((source) => source.src === element.src);
      element.track.mode = index === this.captionIndex ? 'showing' : 'disabled';
    }
  }

  #captionSources() {
    return captionSources(this.#playback?.current?.tracks ?? []);
  }

  protected override render() {
    const t = this.#translator();
    return renderPlayer(
      {
        t,
        state: this.state,
        posterUrl: this.#playback?.current?.posterUrl ?? null,
        started: this.started,
        paused: this.paused,
        muted: this.muted,
        currentTime: this.position,
        duration: this.length,
        rate: this.rate,
        rates,
        captions: this.#captionSources(),
        captionIndex: this.captionIndex,
        chapterTrack: chapterSource(this.#playback?.current?.tracks ?? [], resolveLanguage(this)),
        chapters: this.chapters,
        fullscreen: this.fullscreen,
        failure: this.#failure && this.#failureText(),
      },
      this.#actions,
    );
  }

  async #loadPlayback(): Promise<void> {
    const generation = ++this.#generation;
    this.#detach();
    this.#playback = undefined;
    this.#failure = undefined;
    this.started = false;
    this.captionIndex = -1;
    this.chapters = [];
    this.state = 'idle';

    const client = clientFor(this);
    if (!client || !this.video) {
      // Attributes arrive one by one while a page builds the element: wait for the last.
      await Promise.resolve();
      if (generation === this.#generation && (this.baseUrl || this.client || this.video)) {
        this.#fail(new PlayerFailure(playerErrorCodes.notConfigured));
      }
      return;
    }

    const playback = new VideoPlayback({
      ask: () => client.getPlayback(this.video),
      failed: (failure, details) => this.#fail(failure, details),
    });
    this.#playback = playback;
    try {
      const answer = await playback.load();
      if (generation !== this.#generation) return;
      playback.accept(answer);
      this.state = 'ready';
    } catch (error) {
      if (generation !== this.#generation) return;
      logRequestFailure('lectern-player', error);
      this.#fail(PlayerFailure.from(error));
      return;
    }
    if (this.autoplay) await this.play();
  }

  #fail(failure: PlayerFailure, details?: string): void {
    this.#detach();
    this.#failure = failure;
    this.state = 'error';
    if (details) logger.warn(`lectern-player: ${failure.code} (${details})`);
    fire(this, 'lectern-error', { code: failure.code, message: this.#failureText() });
  }

  #detach(): void {
    this.#playback?.detach();
    this.paused = true;
    this.position = 0;
    this.length = 0;
  }

  #timeUpdated(media: HTMLVideoElement): void {
    this.position = media.currentTime;
    const now = performance.now();
    if (now - this.#lastProgress < progressIntervalMs && !media.ended) return;
    this.#lastProgress = now;
    fire(this, 'lectern-progress', { currentTime: media.currentTime, duration: media.duration });
  }

  #failureText(): string {
    return this.#failure?.text(this.#translator(), catalogs.en) ?? '';
  }

  #translator() {
    return createTranslator(catalogs, resolveLanguage(this));
  }

  readonly #fullscreenChanged = () => {
    this.fullscreen = document.fullscreenElement === this;
  };

  readonly #actions = playerActions({
    element: this,
    media: () => this.media,
    play: () => void this.play(),
    reload: () => void this.#loadPlayback(),
    captions: () => this.#captionSources(),
    chapters: () => this.chapters,
    captionIndex: () => this.captionIndex,
    showCaptions: (index) => (this.captionIndex = index),
    muted: () => this.muted,
    mute: (muted) => (this.muted = muted),
    moved: (seconds) => (this.position = seconds),
  });
}
