import type { QuizResults } from '@lectern/sdk';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { csvFileName, downloadText } from './csv-download.js';
import { resultsStyles } from './lectern-quiz-results.styles.js';
import { QuizElement } from './quiz-element.js';
import { renderParticipants, renderQuestionStatistics } from './results-tables.js';

/**
 * How people did in a quiz, for trainers (the holders of `quiz.results`, and nobody else):
 * a table of participants with their grades and whether each grade reached the LMS, how often
 * each question was answered and answered correctly, and the participants as a CSV file. In
 * an anonymous quiz the participants carry pseudonyms, and the element says so.
 *
 * @summary A trainer's view of a quiz's results.
 * @tagname lectern-quiz-results
 *
 * @attr base-url - The Lectern server's public URL.
 * @attr token - The trainer's session token, sent as a Bearer header. As a property it may also be a function that returns the current token.
 * @attr quiz - The id of the quiz.
 * @attr lang - The language of the element's text, `en` or `de`; inherited from the nearest ancestor with `lang`, the document, or the browser.
 *
 * @event {CustomEvent<{ code: string; message: string }>} lectern-quiz-error - The results or the CSV file could not be had; `code` is stable, `message` the sentence shown.
 *
 * @csspart results - The whole element.
 * @csspart title - The quiz's title.
 * @csspart status - The polite live region: loading, and the CSV download.
 * @csspart anonymous-note - Says that the quiz is anonymous; only then present.
 * @csspart summary - How many took part, and the pass mark.
 * @csspart download-button - Downloads the participants as a CSV file.
 * @csspart participants - The table of participants.
 * @csspart participant - One participant's row.
 * @csspart sync - A participant's grade-sync cell; also `sync-posted`, `sync-pending`, `sync-failed` or `sync-none`.
 * @csspart questions - The table of question statistics.
 * @csspart empty - Shown when nobody has taken the quiz yet.
 * @csspart error - A failure, as an alert (for example: the signed-in person is no trainer).
 * @csspart error-message - The failure's sentence.
 * @csspart reload-button - Loads the results again after a failure.
 *
 * @cssproperty --lectern-font-family - The font.
 * @cssproperty --lectern-font-size - The base font size.
 * @cssproperty --lectern-color-text - Text.
 * @cssproperty --lectern-color-muted - Secondary text.
 * @cssproperty --lectern-color-surface - The background of the element and its buttons.
 * @cssproperty --lectern-color-border - Table rules and button borders.
 * @cssproperty --lectern-color-note - The background of the anonymity note.
 * @cssproperty --lectern-color-danger - Failures, and a grade that failed to reach the LMS.
 * @cssproperty --lectern-color-focus - The focus ring.
 * @cssproperty --lectern-radius - Corners of buttons and notes.
 */
export class LecternQuizResults extends QuizElement {
  static override styles = resultsStyles;
  static override properties: PropertyDeclarations = {
    data: { state: true, attribute: false },
    notice: { state: true, attribute: false },
    downloading: { state: true, attribute: false },
  };

  private data: QuizResults | undefined;
  private notice = '';
  private downloading = false;

  /** The results as the server sent them, once loaded. */
  get results(): QuizResults | undefined {
    return this.data;
  }

  /** Loads the results again. */
  async reload(): Promise<void> {
    this.data = undefined;
    this.failure = undefined;
    this.notice = '';
    await this.load(
      (api, quiz) => api.getQuizResults(quiz),
      (data) => (this.data = data),
    );
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (this.connectionChanged(changed)) void this.reload();
  }

  protected override render() {
    const t = this.t;
    const loading = this.loadState === 'loading';
    const status = loading ? t('results.loading') : this.notice;
    const reload = this.#canReload() ? 'results.retry' : undefined;
    return html`<section part="results" aria-labelledby="results-title">
      <h2 part="title" id="results-title">${this.data?.quiz.title ?? t('results.label')}</h2>
      <p part="status" role="status" class=${status ? 'muted' : 'visually-hidden'}>${status}</p>
      ${this.renderFailure(reload)} ${this.data ? this.#renderResults(this.data) : nothing}
    </section>`;
  }

  /** Loading again helps after a failure to load, but not a trainer's role the person lacks. */
  #canReload(): boolean {
    return this.loadState === 'failed' && this.failure?.code !== 'permission.denied';
  }

  #renderResults(data: QuizResults) {
    const t = this.t;
    const summary = t('results.summary', {
      count: data.participants.length,
      passMark: data.quiz.passMark,
    });
    return html`${
        data.quiz.anonymous
          ? html`<p part="anonymous-note" class="note">${t('results.anonymous')}</p>`
          : nothing
      }
      <div class="toolbar">
        <p part="summary">${summary}</p>
        <button
          part="download-button"
          type="button"
          aria-disabled=${String(this.downloading)}
          @click=${() => void this.#download(data)}
        >
          ${t('results.download')}
        </button>
      </div>
      ${
        data.participants.length === 0
          ? html`<p part="empty" class="muted">${t('results.none_yet')}</p>`
          : renderParticipants(data, t)
      }
      ${renderQuestionStatistics(data, t)}`;
  }

  async #download(data: QuizResults): Promise<void> {
    const api = this.api;
    if (!api || this.downloading) return;
    this.downloading = true;
    this.notice = this.t('results.downloading');
    try {
      const csv = await api.getQuizResultsCsv(data.quiz.id);
      const file = csvFileName(data.quiz.title);
      downloadText(this.renderRoot as ShadowRoot, csv, file);
      this.failure = undefined;
      this.notice = this.t('results.downloaded', { file });
    } catch (error) {
      this.notice = '';
      this.fail(error);
    } finally {
      this.downloading = false;
    }
  }
}
