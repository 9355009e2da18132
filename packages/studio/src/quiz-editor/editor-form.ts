import type { Translator } from '@lectern/sdk';
import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { EditorMessageKey } from './messages.js';
import { renderQuestionEditor } from './question-editor.js';
import type { DraftQuestion, QuizDraft } from './quiz-draft.js';
import { renderSettings } from './settings-editor.js';
import { renderTimeline } from './timeline.js';

export interface EditorFormView {
  t: Translator<EditorMessageKey>;
  draft: QuizDraft;
  /** How many attempts people have started; past 0 the questions are fixed. */
  attemptCount: number;
  busy: boolean;
  /** The video's length, from the bound player or the server. */
  duration: number | undefined;
  /** The bound player's position. */
  currentTime: number | undefined;
  /** The bound player's position when asked; absent while no player is bound. */
  now: (() => number) | undefined;
  change(draft: QuizDraft): void;
  save(event: Event): void;
  /** A marker on the timeline was picked: show its question. */
  pick(question: DraftQuestion): void;
  replaceQuestion(index: number, question: DraftQuestion): void;
  move(index: number, by: -1 | 1): void;
  remove(index: number): void;
  add(): void;
}

/** The quiz's title, its settings, its questions on the video's timeline, and Save. */
export function renderEditorForm(view: EditorFormView) {
  const { t, draft } = view;
  const onVideo = draft.videoId !== null;
  const set = (change: Partial<QuizDraft>) => view.change({ ...draft, ...change });
  return html`<form part="form" novalidate @submit=${view.save}>
    <label for="title">${t('editor.title')}</label>
    <input
      id="title"
      part="title-input"
      type="text"
      required
      maxlength="200"
      .value=${draft.title}
      @input=${(event: Event) => set({ title: (event.target as HTMLInputElement).value })}
    />
    ${
      view.attemptCount > 0
        ? html`<p part="locked-note" class="note">
            ${t('editor.locked', { count: view.attemptCount })}
          </p>`
        : nothing
    }
    ${renderSettings({ t, settings: draft.settings, onVideo, change: (settings) => set({ settings }) })}
    ${
      onVideo
        ? renderTimeline({
            t,
            questions: draft.questions,
            duration: view.duration,
            currentTime: view.currentTime,
            pick: view.pick,
          })
        : nothing
    }
    <section part="questions" aria-labelledby="questions-heading">
      <h3 id="questions-heading">${t('questions.legend')}</h3>
      ${draft.questions.length === 0 ? html`<p class="muted">${t('questions.none')}</p>` : nothing}
      ${repeat(
        draft.questions,
        (question) => question.key,
        (question, index) =>
          renderQuestionEditor({
            t,
            question,
            index,
            count: draft.questions.length,
            onVideo,
            now: view.now,
            change: (changed) => view.replaceQuestion(index, changed),
            move: (by) => view.move(index, by),
            remove: () => view.remove(index),
          }),
      )}
      <button part="add-question-button" type="button" @click=${view.add}>
        ${t('questions.add')}
      </button>
    </section>
    <button part="save-button" class="primary" type="submit" aria-disabled=${String(view.busy)}>
      ${t('editor.save')}
    </button>
  </form>`;
}
