import { logRequestFailure, type QuizDefinition } from '@lectern/sdk';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { LocalizeController } from '../localize-controller.js';
import { StudioElement } from '../studio-element.js';
import { themeStyles } from '../theme.styles.js';
import { renderEditorFailure } from './editor-failure.js';
import { renderEditorForm } from './editor-form.js';
import { EditorPlayer, type PlayerLike } from './editor-player.js';
import { editorMessages } from './messages.js';
import { quizEditorStyles } from './quiz-editor.styles.js';
import {
  draftOf,
  emptyDraft,
  inputOf,
  newQuestion,
  type DraftQuestion,
  type QuizDraft,
} from './quiz-draft.js';

/** The detail of `lectern-quiz-saved`. */
export interface QuizSavedDetail {
  quizId: string;
  created: boolean;
}

/**
 * Where an author writes a quiz: its title and settings, and its questions, placed on the
 * video's timeline when the quiz belongs to a video. Bound to a `<lectern-player>`, the timeline
 * takes the video's length from it and each question can be set to the player's position.
 *
 * @summary An author's quiz editor, with questions on the video's timeline.
 * @tagname lectern-quiz-editor
 *
 * @attr base-url - The Lectern server's URL; used with `token`.
 * @attr token - The author's session token.
 * @attr quiz - The id of a quiz to edit.
 * @attr video - Without `quiz`: the video whose quiz to edit, or to create when it has none.
 * @attr for - The id of a `<lectern-player>` in the same document or shadow root, for the video's length and "set to current time".
 * @attr lang - The language of the element's text, `en` or `de`; inherited from the nearest ancestor with `lang`, the document, or the browser.
 *
 * @event {CustomEvent<{ quizId: string; created: boolean }>} lectern-quiz-saved - The server took the quiz; `created` on the first save.
 *
 * @csspart editor - The whole editor.
 * @csspart heading - The quiz's title as a heading.
 * @csspart status - The polite live region: loading, saving, what was saved.
 * @csspart error - A refusal as an alert, with the problems the server named.
 * @csspart problems - The list of those problems.
 * @csspart retry-button - Loads the quiz again after a failure to load it.
 * @csspart form - The form around everything.
 * @csspart title-input - The quiz's title.
 * @csspart locked-note - Says that people have started the quiz, so that its questions are fixed.
 * @csspart settings - The settings fieldset.
 * @csspart timeline - The video's timeline with a marker per question.
 * @csspart marker - A question's marker on the timeline (a button).
 * @csspart playhead - The bound player's position on the timeline.
 * @csspart questions - The list of questions.
 * @csspart question - One question's fieldset.
 * @csspart question-legend - "Question 2".
 * @csspart question-type - The type menu.
 * @csspart prompt - The question's text.
 * @csspart points - Its points.
 * @csspart at-seconds - When the video asks it.
 * @csspart set-now-button - Sets the time to the player's position.
 * @csspart options - The options, or the correct answer's fields.
 * @csspart option - One option.
 * @csspart option-text - An option's text.
 * @csspart add-option-button - Adds an option.
 * @csspart remove-option-button - Removes an option.
 * @csspart accepted - The accepted texts of a short answer.
 * @csspart number - The correct number of a short answer.
 * @csspart tolerance - The allowed difference from it.
 * @csspart move-up-button - Moves a question up.
 * @csspart move-down-button - Moves a question down.
 * @csspart remove-button - Removes a question.
 * @csspart add-question-button - Adds a question.
 * @csspart save-button - Saves the quiz.
 *
 * @cssproperty --lectern-font-family - The font.
 * @cssproperty --lectern-font-size - The base font size.
 * @cssproperty --lectern-color-text - Text.
 * @cssproperty --lectern-color-muted - Secondary text.
 * @cssproperty --lectern-color-surface - The background of fields and buttons.
 * @cssproperty --lectern-color-border - Borders of fieldsets, fields and buttons.
 * @cssproperty --lectern-color-accent - The Save button, the markers and the playhead.
 * @cssproperty --lectern-color-on-accent - Text on the Save button and the markers.
 * @cssproperty --lectern-color-danger - Remove buttons and errors.
 * @cssproperty --lectern-color-focus - The focus ring.
 * @cssproperty --lectern-radius - Corners.
 */
export class LecternQuizEditor extends StudioElement {
  static override styles = [themeStyles, quizEditorStyles];
  static override properties: PropertyDeclarations = {
    quiz: {},
    video: {},
    htmlFor: { attribute: 'for' },
    player: { attribute: false },
    draft: { state: true, attribute: false },
    quizId: { state: true, attribute: false },
    attemptCount: { state: true, attribute: false },
    videoSeconds: { state: true, attribute: false },
    busy: { state: true, attribute: false },
    failure: { state: true, attribute: false },
    notice: { state: true, attribute: false },
    position: { state: true, attribute: false },
  };

  /** The id of a quiz to edit. */
  quiz = '';

  /** Without `quiz`: the video whose quiz to edit, or to create when it has none. */
  video = '';

  /** The id of the `<lectern-player>` to take the length and current time from. */
  htmlFor = '';

  /** The `<lectern-player>` to take the length and current time from; takes the place of `for`. */
  player: PlayerLike | undefined;

  private draft: QuizDraft | undefined;
  private quizId = '';
  private attemptCount = 0;
  private videoSeconds: number | undefined;
  private busy = false;
  private failure: unknown;
  private notice = '';
  /** The bound player's position and length, as it last told them. */
  private position: { currentTime: number; duration: number } | undefined;

  readonly #text = new LocalizeController(this, editorMessages);
  readonly #player = new EditorPlayer(this, (position) => (this.position = position));

  /** The quiz's id once it exists on the server. */
  get savedQuizId(): string {
    return this.quizId;
  }

  /** Loads the quiz again; unsaved changes are dropped. */
  async reload(): Promise<void> {
    this.draft = undefined;
    this.failure = undefined;
    this.notice = '';
    await this.load(
      async (api) => {
        let definition: QuizDefinition | undefined;
        if (this.quiz) definition = await api.getQuizDefinition(this.quiz);
        else if (this.video) {
          const [existing] = (await api.listQuizzes(this.video)).quizzes;
          if (existing) definition = await api.getQuizDefinition(existing.id);
        }
        const videoId = definition ? definition.videoId : this.video || null;
        const video = videoId ? await api.getVideo(videoId) : undefined;
        return { definition, video };
      },
      ({ definition, video }) => {
        this.videoSeconds = video?.durationSeconds ?? undefined;
        this.#show(definition, video?.title ?? '');
        if (definition && !this.quiz) this.notice = this.#text.t('editor.loaded_existing');
      },
      (error) => {
        logRequestFailure(this.localName, error);
        this.failure = error;
      },
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const target = changed.has('quiz') || changed.has('video');
    if (this.connectionChanged(changed) || target) void this.reload();
    if (changed.has('htmlFor') || changed.has('player')) {
      void this.#player.follow(this.player, this.htmlFor);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#player.stop();
  }

  protected override render() {
    const t = this.#text.t;
    const loading = this.loadState === 'loading';
    const status = loading ? t('editor.loading') : this.busy ? t('editor.saving') : this.notice;
    return html`<section part="editor" aria-labelledby="editor-heading">
      <h2 part="heading" id="editor-heading">${this.draft?.title || t('editor.new')}</h2>
      <p part="status" role="status" class=${status ? 'muted' : 'visually-hidden'}>${status}</p>
      ${this.#renderFailure()} ${this.draft ? this.#renderForm(this.draft) : nothing}
    </section>`;
  }

  #renderFailure() {
    if (this.failure === undefined) return nothing;
    return renderEditorFailure({
      t: this.#text.t,
      error: this.failure,
      retry: this.loadState === 'failed' ? () => this.reload() : undefined,
    });
  }

  #renderForm(draft: QuizDraft) {
    return renderEditorForm({
      t: this.#text.t,
      draft,
      attemptCount: this.attemptCount,
      busy: this.busy,
      duration: this.#duration(),
      currentTime: this.position?.currentTime,
      now: this.#player.bound ? () => this.#player.currentTime : undefined,
      change: (changed) => (this.draft = changed),
      save: this.#save,
      pick: (question) => void this.#focusQuestion(question.key),
      replaceQuestion: (index, question) => this.#replaceQuestion(index, question),
      move: (index, by) => void this.#move(index, by),
      remove: (index) => void this.#remove(index),
      add: () => void this.#add(),
    });
  }

  readonly #save = async (event: Event) => {
    event.preventDefault();
    const api = this.api;
    const draft = this.draft;
    if (!api || !draft || this.busy) return;
    const creating = !this.quizId;

    this.busy = true;
    this.failure = undefined;
    this.notice = '';
    try {
      const input = inputOf(draft, creating);
      const saved = creating
        ? await api.createQuiz(input)
        : await api.replaceQuiz(this.quizId, {
            title: input.title,
            settings: input.settings ?? {},
            questions: input.questions,
          });
      this.#show(saved, saved.title);
      this.notice = this.#text.t(creating ? 'editor.created' : 'editor.saved');
      const detail: QuizSavedDetail = { quizId: saved.id, created: creating };
      this.dispatchEvent(
        new CustomEvent('lectern-quiz-saved', { detail, bubbles: true, composed: true }),
      );
    } catch (error) {
      logRequestFailure(this.localName, error);
      this.failure = error;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part="error"]')?.focus();
    } finally {
      this.busy = false;
    }
  };

  #show(definition: QuizDefinition | undefined, fallbackTitle: string): void {
    this.quizId = definition?.id ?? '';
    this.attemptCount = definition?.attemptCount ?? 0;
    this.draft = definition ? draftOf(definition) : emptyDraft(this.video || null, fallbackTitle);
  }

  #duration(): number | undefined {
    const fromPlayer = this.position?.duration;
    if (fromPlayer !== undefined && Number.isFinite(fromPlayer) && fromPlayer > 0)
      return fromPlayer;
    return this.videoSeconds;
  }

  #replaceQuestion(index: number, question: DraftQuestion): void {
    const draft = this.draft;
    if (!draft) return;
    const questions = draft.questions.with(index, question);
    this.draft = { ...draft, questions };
  }

  async #add(): Promise<void> {
    const draft = this.draft;
    if (!draft) return;
    const at = draft.videoId === null ? null : this.#player.bound ? this.#player.currentTime : 0;
    const question = newQuestion('single_choice', at === null ? null : Math.round(at * 10) / 10);
    this.draft = { ...draft, questions: [...draft.questions, question] };
    this.notice = this.#text.t('question.added', { number: draft.questions.length + 1 });
    await this.#focusQuestion(question.key, 'select');
  }

  async #remove(index: number): Promise<void> {
    const draft = this.draft;
    if (!draft) return;
    const questions = draft.questions.toSpliced(index, 1);
    this.draft = { ...draft, questions };
    this.notice = this.#text.t('question.removed', { number: index + 1 });
    const next = questions[Math.min(index, questions.length - 1)];
    if (next) await this.#focusQuestion(next.key);
    else await this.#focus('[part="add-question-button"]');
  }

  async #move(index: number, by: -1 | 1): Promise<void> {
    const draft = this.draft;
    const question = draft?.questions[index];
    const target = index + by;
    if (!draft || !question || target < 0 || target >= draft.questions.length) return;
    const questions = draft.questions.toSpliced(index, 1).toSpliced(target, 0, question);
    this.draft = { ...draft, questions };
    this.notice = this.#text.t('question.moved', { number: target + 1 });
    // The button pressed, unless the move took the question to the edge and disabled it.
    const atEdge = by < 0 ? target === 0 : target === questions.length - 1;
    const pressed = by < 0 ? 'move-up-button' : 'move-down-button';
    const other = by < 0 ? 'move-down-button' : 'move-up-button';
    await this.#focusQuestion(question.key, `[part="${atEdge ? other : pressed}"]`);
  }

  async #focusQuestion(key: string, inner?: string): Promise<void> {
    const question = `[part="question"][data-key="${CSS.escape(key)}"]`;
    await this.#focus(inner ? `${question} ${inner}` : question);
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }
}

if (!customElements.get('lectern-quiz-editor')) {
  customElements.define('lectern-quiz-editor', LecternQuizEditor);
}

declare global {
  interface HTMLElementTagNameMap {
    'lectern-quiz-editor': LecternQuizEditor;
  }
  interface HTMLElementEventMap {
    'lectern-quiz-saved': CustomEvent<QuizSavedDetail>;
  }
}
