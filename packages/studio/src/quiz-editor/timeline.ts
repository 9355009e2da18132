import type { Translator } from '@lectern/sdk';
import { html, nothing } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { EditorMessageKey } from './messages.js';
import type { DraftQuestion } from './quiz-draft.js';

export interface TimelineView {
  t: Translator<EditorMessageKey>;
  questions: readonly DraftQuestion[];
  /** The video's length in seconds, when known. */
  duration: number | undefined;
  /** The bound player's position, when there is one. */
  currentTime: number | undefined;
  pick(question: DraftQuestion): void;
}

/** The video's length as a bar with a marker per question; a marker takes the author there. */
export function renderTimeline(view: TimelineView) {
  const { t, questions } = view;
  const latest = Math.max(0, ...questions.map((question) => question.atSeconds ?? 0));
  const known = view.duration !== undefined && view.duration > 0;
  const length = known ? (view.duration as number) : Math.max(latest * 1.1, 1);
  const at = (seconds: number) => `${Math.min(100, Math.max(0, (seconds / length) * 100))}%`;

  return html`<div part="timeline" role="group" aria-label=${t('timeline.label')}>
    <div class="track">
      ${
        view.currentTime === undefined
          ? nothing
          : html`<span
              part="playhead"
              class="playhead"
              style=${styleMap({ left: at(view.currentTime) })}
              role="img"
              aria-label=${t('timeline.now', { time: clock(view.currentTime) })}
            ></span>`
      }
      ${questions.map((question, index) =>
        question.atSeconds === null
          ? nothing
          : html`<button
              type="button"
              part="marker"
              class="marker"
              style=${styleMap({ left: at(question.atSeconds) })}
              aria-label=${t('timeline.marker', {
                number: index + 1,
                time: clock(question.atSeconds),
              })}
              @click=${() => view.pick(question)}
            >
              ${index + 1}
            </button>`,
      )}
    </div>
    <div class="scale muted" aria-hidden="true">
      <span>0:00</span><span>${known ? clock(length) : '…'}</span>
    </div>
    ${known ? nothing : html`<p class="muted">${t('timeline.unknown')}</p>`}
  </div>`;
}

/** `1:05`, or `1:02:05` past an hour. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const pad = (value: number) => String(value).padStart(2, '0');
  const [hours, minutes, rest] = [
    Math.floor(whole / 3600),
    Math.floor(whole / 60) % 60,
    whole % 60,
  ];
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${minutes}:${pad(rest)}`;
}
