import { html, nothing, type TemplateResult } from 'lit';
import type { Translator } from '@lectern/sdk';
import type { MessageKey } from './messages.js';

/** `idle` before the playback answer, `ready` with the poster, `loading` while the engine attaches. */
export type PlayerState = 'idle' | 'ready' | 'loading' | 'active' | 'error';

/** A WebVTT file the `<video>` loads: captions or subtitles to choose, or the chapters. */
export interface TextTrackSource {
  kind: 'captions' | 'subtitles' | 'chapters';
  src: string;
  lang: string;
  label: string;
}

export interface Chapter {
  start: number;
  title: string;
}

export interface PlayerView {
  t: Translator<MessageKey>;
  state: PlayerState;
  posterUrl: string | null;
  started: boolean;
  paused: boolean;
  muted: boolean;
  currentTime: number;
  duration: number;
  rate: number;
  rates: readonly number[];
  /** Captions and subtitles to choose from, in the order of the menu. */
  captions: readonly TextTrackSource[];
  /** The index in `captions` shown, or -1 for none. */
  captionIndex: number;
  chapterTrack: TextTrackSource | undefined;
  chapters: readonly Chapter[];
  fullscreen: boolean;
  failure: string | undefined;
}

export interface PlayerActions {
  play(): void;
  togglePlay(): void;
  toggleMute(): void;
  chooseCaptions(event: Event): void;
  chooseChapter(event: Event): void;
  toggleFullscreen(): void;
  seek(event: Event): void;
  changeRate(event: Event): void;
  retry(): void;
  keydown(event: KeyboardEvent): void;
}

export function renderPlayer(view: PlayerView, actions: PlayerActions): TemplateResult {
  const { t } = view;
  const poster = view.started ? null : view.posterUrl;
  const showBigPlay = !view.started && view.state !== 'error' && view.state !== 'idle';
  const status =
    view.state === 'loading' || (view.state === 'idle' && !view.failure) ? t('status.loading') : '';

  return html`
    <div part="player" role="group" aria-label=${t('player.label')} @keydown=${actions.keydown}>
      <div part="stage">
        <video part="video" playsinline preload="none" crossorigin="anonymous" .muted=${view.muted}>
          ${[...view.captions, ...(view.chapterTrack ? [view.chapterTrack] : [])].map(
            (track) =>
              html`<track
                kind=${track.kind}
                src=${track.src}
                srclang=${track.lang}
                label=${track.label}
              />`,
          )}
        </video>
        ${poster ? html`<img part="poster" src=${poster} alt="" />` : nothing}
        ${
          showBigPlay
            ? html`<button
                part="big-play-button"
                aria-label=${t('poster.play')}
                @click=${actions.play}
              >
                ${playIcon}
              </button>`
            : nothing
        }
      </div>
      ${view.state === 'error' ? renderFailure(view, actions) : renderControls(view, actions)}
      <div part="status" role="status" aria-live="polite">${status}</div>
    </div>
  `;
}

function renderControls(view: PlayerView, actions: PlayerActions): TemplateResult {
  const { t } = view;
  const ready = view.state === 'active' || view.state === 'ready';
  const duration = Number.isFinite(view.duration) ? view.duration : 0;
  const position = t('seek.value', { current: clock(view.currentTime), duration: clock(duration) });

  return html`
    <div part="controls">
      <button
        part="play-button"
        ?disabled=${!ready}
        @click=${actions.togglePlay}
        aria-label=${view.paused ? t('action.play') : t('action.pause')}
      >
        ${view.paused ? playIcon : pauseIcon}
      </button>
      <input
        part="seek"
        type="range"
        min="0"
        max=${duration}
        step="any"
        .value=${String(view.currentTime)}
        ?disabled=${duration === 0}
        aria-label=${t('seek.label')}
        aria-valuetext=${position}
        @input=${actions.seek}
      />
      <span part="time" aria-hidden="true">${clock(view.currentTime)} / ${clock(duration)}</span>
      <button
        part="mute-button"
        @click=${actions.toggleMute}
        aria-label=${view.muted ? t('action.unmute') : t('action.mute')}
      >
        ${view.muted ? mutedIcon : soundIcon}
      </button>
      <select part="rate" aria-label=${t('rate.label')} @change=${actions.changeRate}>
        ${view.rates.map(
          (rate) =>
            html`<option value=${rate} ?selected=${rate === view.rate}>
              ${rate === 1 ? t('rate.normal') : `${new Intl.NumberFormat(t.lang).format(rate)}×`}
            </option>`,
        )}
      </select>
      ${view.chapters.length > 0 ? renderChapters(view, actions) : nothing}
      ${
        view.captions.length > 0
          ? html`<select
              part="captions"
              aria-label=${t('captions.label')}
              @change=${actions.chooseCaptions}
            >
              <option value="-1" ?selected=${view.captionIndex < 0}>${t('captions.off')}</option>
              ${view.captions.map(
                (track, index) =>
                  html`<option value=${index} ?selected=${index === view.captionIndex}>
                    ${track.label}
                  </option>`,
              )}
            </select>`
          : nothing
      }
      <button
        part="fullscreen-button"
        @click=${actions.toggleFullscreen}
        aria-label=${view.fullscreen ? t('action.exit_fullscreen') : t('action.fullscreen')}
      >
        ${fullscreenIcon}
      </button>
    </div>
  `;
}

/** The chapter list, with the one playing selected; choosing one jumps to its start. */
function renderChapters(view: PlayerView, actions: PlayerActions): TemplateResult {
  let current = 0;
  view.chapters.forEach((chapter, index) => {
    if (chapter.start <= view.currentTime) current = index;
  });
  return html`<select
    part="chapters"
    aria-label=${view.t('chapters.label')}
    @change=${actions.chooseChapter}
  >
    ${view.chapters.map(
      (chapter, index) =>
        html`<option value=${index} ?selected=${index === current}>
          ${clock(chapter.start)} ${chapter.title}
        </option>`,
    )}
  </select>`;
}

function renderFailure(view: PlayerView, actions: PlayerActions): TemplateResult {
  return html`
    <div part="error" role="alert">
      <span part="error-message">${view.failure}</span>
      <button part="retry-button" @click=${actions.retry}>${view.t('action.retry')}</button>
    </div>
  `;
}

/** `m:ss`, or `h:mm:ss` past an hour. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const s = String(whole % 60).padStart(2, '0');
  const m = Math.floor(whole / 60) % 60;
  const h = Math.floor(whole / 3600);
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const icon = (path: string) =>
  html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=${path} /></svg>`;
const playIcon = icon('M8 5v14l11-7z');
const pauseIcon = icon('M6 5h4v14H6zm8 0h4v14h-4z');
const soundIcon = icon('M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z');
const mutedIcon = icon(
  'M3 9v6h4l5 5V4L7 9H3zm13.6 3 2.7-2.7-1.4-1.4-2.7 2.7-2.7-2.7-1.4 1.4 2.7 2.7-2.7 2.7 1.4 1.4 2.7-2.7 2.7 2.7 1.4-1.4z',
);
const fullscreenIcon = icon(
  'M7 14H5v5h5v-2H7v-3zm-2-4h2V7h3V5H5v5zm12 7h-3v2h5v-5h-2v3zM14 5v2h3v3h2V5h-5z',
);
