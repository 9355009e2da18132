import { logger, type LearnerAnswer, type LearnerQuestion, type LearnerQuiz } from '@lectern/sdk';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { formatTime, isComplete } from './answers.js';
import { AttemptElement } from './attempt-element.js';
import { quizStyles } from './lectern-quiz.styles.js';
import {
  PlayerBinding,
  findPlayer,
  type QuizPlayer,
  type TimedQuestion,
} from './player-binding.js';
import { fire } from './quiz-events.js';
import { renderQuestion } from './question-view.js';
import { renderResult } from './result-view.js';

/**
 * A quiz for a learner. On its own it shows every question as one form with one submit
 * button. Bound to a `<lectern-player>` (`for`, or the `player` property) it stops the video at
 * each question's time, asks it, saves the answer and plays on; with the quiz's
 * `blockSeeking` a seek past an unanswered question is pulled back before it. Once every
 * question is answered it submits and shows the score.
 *
 * @summary A learner takes a Lectern quiz, alone or as a video plays.
 * @tagname lectern-quiz
 *
 * @attr base-url - The Lectern server's public URL.
 * @attr token - The learner's session token, sent as a Bearer header. As a property it may also be a function that returns the current token.
 * @attr quiz - The id of the quiz.
 * @attr for - The id of a `<lectern-player>` in the same document or shadow root that the quiz follows.
 * @attr lang - The language of the element's text, `en` or `de`; inherited from the nearest ancestor with `lang`, the document, or the browser.
 *
 * @event {CustomEvent<{ questionId: string }>} lectern-quiz-question - The video stopped at a question, which is now shown (bound to a player only).
 * @event {CustomEvent<{ questionId: string }>} lectern-quiz-answer - The server saved an answer.
 * @event {CustomEvent<{ score: number; maxScore: number; percent: number; passed: boolean }>} lectern-quiz-submitted - The attempt was graded.
 * @event {CustomEvent<{ code: string; message: string }>} lectern-quiz-error - Something failed; `code` is stable (the server's, or `quiz.not_configured`, `quiz.player_not_found`), `message` the sentence shown.
 *
 * @csspart quiz - The whole quiz.
 * @csspart title - The quiz's title.
 * @csspart status - The polite live region: loading, the question asked, what became of an answer.
 * @csspart progress - How many questions are answered (bound to a player).
 * @csspart form - The form around the questions.
 * @csspart question - One question: a fieldset.
 * @csspart prompt - A question's legend.
 * @csspart question-number - "Question 2 of 5" in the legend.
 * @csspart points - What a question is worth.
 * @csspart option - One choice: a label around a radio button or checkbox.
 * @csspart answer-label - The label of a short answer's text field.
 * @csspart answer-input - A short answer's text field.
 * @csspart continue-button - Saves the answer and plays on (bound to a player).
 * @csspart submit-button - Submits every answer (on its own).
 * @csspart result - The result after submitting.
 * @csspart result-heading - Its heading.
 * @csspart score - Points and percent.
 * @csspart verdict - Passed or not; also `verdict-passed` or `verdict-failed`.
 * @csspart grade - The grade by the quiz's score policy, when it differs from this attempt's.
 * @csspart outcomes - The list of how each question went.
 * @csspart outcome - One question's outcome; also `outcome-correct` or `outcome-wrong`.
 * @csspart correct-answer - The correct answer, when the quiz shows it.
 * @csspart attempts-left - How many attempts are left.
 * @csspart retry-button - Starts another attempt.
 * @csspart error - A failure, as an alert.
 * @csspart error-message - The failure's sentence.
 * @csspart reload-button - Loads the quiz again after a failure to load it.
 *
 * @cssproperty --lectern-font-family - The font.
 * @cssproperty --lectern-font-size - The base font size.
 * @cssproperty --lectern-color-text - Text.
 * @cssproperty --lectern-color-muted - Secondary text, such as points.
 * @cssproperty --lectern-color-surface - The background of the quiz and its buttons.
 * @cssproperty --lectern-color-border - Borders of questions, fields and buttons.
 * @cssproperty --lectern-color-accent - The main button and the chosen options.
 * @cssproperty --lectern-color-on-accent - Text on the main button.
 * @cssproperty --lectern-color-success - A passed verdict and correct outcomes.
 * @cssproperty --lectern-color-danger - Failures, a verdict not passed and wrong outcomes.
 * @cssproperty --lectern-color-focus - The focus ring.
 * @cssproperty --lectern-radius - Corners of the quiz, its questions and buttons.
 */
export class LecternQuiz extends AttemptElement {
  static override styles = quizStyles;
  static override properties: PropertyDeclarations = {
    htmlFor: { attribute: 'for' },
    player: { attribute: false },
    asking: { state: true, attribute: false },
  };

  /** The id of the `<lectern-player>` to follow, in the same document or shadow root. */
  htmlFor = '';

  /** The `<lectern-player>` to follow; takes the place of `for`. */
  player: QuizPlayer | undefined;

  /** The question the video stopped at, while it waits for its answer. */
  private asking: string | undefined;

  #binding: PlayerBinding | undefined;

  /** True while the quiz follows a player. */
  get bound(): boolean {
    return this.#binding !== undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#binding?.detach();
    this.#binding = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Reconnected after a move: bind again to the player it follows.
    if (this.hasUpdated) void this.#bind();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (this.connectionChanged(changed)) void this.reload();
    if (changed.has('htmlFor') || changed.has('player')) void this.#bind();
  }

  protected override render() {
    const t = this.t;
    const loading = this.loadState === 'loading';
    const reload = this.loadState === 'failed' ? 'result.retry' : undefined;
    return html`<section part="quiz" aria-labelledby="quiz-title" aria-busy=${String(this.busy)}>
      <h2 part="title" id="quiz-title">${this.data?.title ?? t('quiz.label')}</h2>
      <p part="status" role="status" class=${loading || this.notice ? 'muted' : 'visually-hidden'}>
        ${loading ? t('quiz.loading') : this.notice}
      </p>
      ${this.renderFailure(reload)} ${this.#renderBody()}
    </section>`;
  }

  #renderBody() {
    const data = this.data;
    if (!data) return nothing;
    if (this.outcome) {
      return renderResult({
        t: this.t,
        questions: data.questions,
        ...this.outcome,
        retry: () => void this.#retry(),
      });
    }
    return this.#binding ? this.#renderAsked(data) : this.#renderForm(data);
  }

  /** On its own: every question, and one button that submits them all. */
  #renderForm(data: LearnerQuiz) {
    const questions = this.ordered(data);
    return html`<form part="form" novalidate @submit=${this.#submitForm}>
      ${questions.map((question, index) => this.#renderQuestion(question, index, questions.length))}
      <button part="submit-button" class="primary" type="submit" aria-disabled=${String(this.busy)}>
        ${this.t('quiz.submit')}
      </button>
    </form>`;
  }

  /** Bound to a player: how far the learner is, and the question the video stopped at. */
  #renderAsked(data: LearnerQuiz) {
    const t = this.t;
    const questions = this.ordered(data);
    const answered = questions.filter((question) => this.isSaved(question.id)).length;
    const progress =
      answered === 0 && !this.asking
        ? t('quiz.intro', { count: questions.length })
        : t('quiz.progress', { answered, count: questions.length });
    const index = questions.findIndex((question) => question.id === this.asking);
    const question = questions[index];
    return html`<p part="progress" class="muted">${progress}</p>
      ${
        question
          ? html`<form part="form" novalidate @submit=${this.#submitAsked}>
              ${this.#renderQuestion(question, index, questions.length)}
              <button
                part="continue-button"
                class="primary"
                type="submit"
                aria-disabled=${String(this.busy)}
              >
                ${t('quiz.continue')}
              </button>
            </form>`
          : nothing
      }`;
  }

  #renderQuestion(question: LearnerQuestion, index: number, count: number) {
    return renderQuestion({
      t: this.t,
      question,
      number: index + 1,
      count,
      answer: this.answers.get(question.id),
      disabled: false,
      changed: (answer, settled) => this.#answerChanged(question, answer, settled),
    });
  }

  #answerChanged(question: LearnerQuestion, answer: LearnerAnswer, settled: boolean): void {
    this.answers = new Map(this.answers).set(question.id, answer);
    // On its own, each settled answer is saved at once, so that a reload resumes the attempt.
    if (settled && !this.#binding && isComplete(question, answer)) {
      void this.save(question, answer);
    }
  }

  readonly #submitForm = async (event: Event) => {
    event.preventDefault();
    const data = this.data;
    if (!data || this.busy) return;
    const open = this.ordered(data).filter((question) => !this.isAnswered(question));
    const [first] = open;
    if (first) {
      this.notice = this.t('quiz.unanswered', { count: open.length });
      await this.focusOn(`[data-question-id="${CSS.escape(first.id)}"]`);
      return;
    }
    await this.submit();
  };

  readonly #submitAsked = async (event: Event) => {
    event.preventDefault();
    const data = this.data;
    const question = data?.questions.find((each) => each.id === this.asking);
    if (!data || !question || this.busy) return;
    const answer = this.answers.get(question.id);
    if (!answer || !isComplete(question, answer)) {
      await this.focusOn(`[data-question-id="${CSS.escape(question.id)}"] input`);
      return;
    }

    this.busy = true;
    this.notice = this.t('quiz.saving');
    const saved = await this.save(question, answer);
    this.busy = false;
    if (!saved) {
      this.notice = '';
      return;
    }
    this.asking = undefined;
    this.notice = this.t('quiz.saved');
    const binding = this.#binding;
    const [next] = this.#pending();
    if (!next) {
      if (binding && !binding.ended) void binding.player.play();
      await this.submit();
      return;
    }
    if (binding?.ended) this.#ask(next);
    else if (binding) {
      this.#focusPlayer(binding.player);
      void binding.player.play();
    }
  };

  async #retry(): Promise<void> {
    this.startOver();
    const binding = this.#binding;
    if (binding) {
      binding.rewind();
      this.#focusPlayer(binding.player);
    } else {
      await this.focusOn('[part="question"]');
    }
  }

  async #bind(): Promise<void> {
    const player = this.player ?? findPlayer(this, this.htmlFor);
    if (this.#binding?.player === player && this.#binding) return;
    this.#binding?.detach();
    this.#binding = undefined;
    this.asking = undefined;
    if (!player) {
      if (this.htmlFor) this.fail('quiz.player_not_found');
      this.requestUpdate();
      return;
    }

    const binding = new PlayerBinding(player, {
      pending: () => this.#pending(),
      asking: () => this.asking,
      blockSeeking: () => this.data?.settings.blockSeeking ?? false,
      ask: (question) => this.#ask(question),
      seekRefused: (question) => {
        this.notice = this.t('quiz.seek_blocked', { time: formatTime(question.atSeconds) });
      },
      answerFirst: () => (this.notice = this.t('quiz.answer_first')),
      ended: () => {
        const [next] = this.#pending();
        if (next) this.#ask(next);
      },
    });
    this.#binding = binding;
    this.requestUpdate();
    if (!(await binding.attach())) {
      logger.warn(`${this.localName}: the player "${this.htmlFor}" has no <video> to follow.`);
      this.fail('quiz.player_not_found');
    }
  }

  #ask(question: TimedQuestion): void {
    const data = this.data;
    const index = data ? this.ordered(data).findIndex((each) => each.id === question.id) : -1;
    const asked = data?.questions.find((each) => each.id === question.id);
    if (!asked || this.outcome) return;
    this.asking = question.id;
    this.notice = this.t('quiz.asked', { number: index + 1, prompt: asked.prompt });
    fire(this, 'lectern-quiz-question', { questionId: question.id });
    void this.focusOn(`[data-question-id="${CSS.escape(question.id)}"]`);
  }

  /** Questions with a time not yet answered in this attempt, in timeline order. */
  #pending(): TimedQuestion[] {
    if (!this.data || this.outcome) return [];
    return this.ordered(this.data)
      .filter((question) => !this.isSaved(question.id))
      .map((question) => ({ id: question.id, atSeconds: question.atSeconds ?? 0 }));
  }

  protected override reset(): void {
    super.reset();
    this.asking = undefined;
  }

  #focusPlayer(player: QuizPlayer): void {
    const controls = player.shadowRoot?.querySelector<HTMLElement>(
      '[part~="play-button"], [part~="big-play-button"]',
    );
    controls?.focus();
  }
}
