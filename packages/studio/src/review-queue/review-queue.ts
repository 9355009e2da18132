import { LecternApiError, logRequestFailure, type VideoView } from '@lectern/sdk';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { failureMessage } from '../failure-message.js';
import { StudioElement } from '../studio-element.js';
import { themeStyles } from '../theme.styles.js';
import { emptyDraft, renderReviewItem, type ReviewDraft } from './review-item.js';
import { reviewQueueStyles } from './review-queue.styles.js';

/** The detail of `lectern-review-decided`. */
export interface ReviewDecidedDetail {
  videoId: string;
  decision: 'approve' | 'reject';
}

/**
 * The videos waiting for the signed-in critic's review, oldest first, each with Approve and
 * Reject. Rejecting asks for a comment the author will read.
 *
 * @summary A critic's review queue.
 * @tagname lectern-review-queue
 *
 * @attr base-url - The Lectern server's URL; used with `token`.
 * @attr token - The signed-in critic's session token.
 * @attr lang - The language of the element's text, `en` or `de`; inherited from the nearest ancestor with `lang`, the document, or the browser.
 *
 * @event {CustomEvent<{ videoId: string, decision: 'approve' | 'reject' }>} lectern-review-decided - The server took a decision; the video has left the queue.
 *
 * @csspart list - The list of videos.
 * @csspart item - One video.
 * @csspart title - A video's title.
 * @csspart date - When a video was submitted.
 * @csspart description - A video's description, when it has one.
 * @csspart actions - The row of buttons of a video.
 * @csspart approve-button - Approves and publishes a video.
 * @csspart reject-button - Opens the comment field; then, once a reason is typed, rejects.
 * @csspart cancel-button - Closes the comment field without rejecting.
 * @csspart comment-label - The label of the comment field.
 * @csspart comment - The comment field: why the video is turned down.
 * @csspart item-error - Why a decision on a video failed.
 * @csspart status - The polite live region: loading, and what became of the last decision.
 * @csspart empty - Shown when nothing waits for review.
 * @csspart error - Shown when the queue could not be loaded; holds the reason.
 * @csspart retry-button - Tries loading the queue again.
 *
 * @cssproperty --lectern-font-family - The font.
 * @cssproperty --lectern-font-size - The base font size.
 * @cssproperty --lectern-color-text - Text.
 * @cssproperty --lectern-color-muted - Secondary text, such as dates.
 * @cssproperty --lectern-color-surface - The background of items and buttons.
 * @cssproperty --lectern-color-border - Borders of items, buttons and the comment field.
 * @cssproperty --lectern-color-accent - The Approve button.
 * @cssproperty --lectern-color-on-accent - Text on the Approve button.
 * @cssproperty --lectern-color-danger - The Reject button and error messages.
 * @cssproperty --lectern-color-focus - The focus ring.
 * @cssproperty --lectern-radius - The corners of items, buttons and the comment field.
 */
export class LecternReviewQueue extends StudioElement {
  static override styles = [themeStyles, reviewQueueStyles];
  // `attribute: false` beside `state: true` keeps internal state out of the manifest's attributes.
  static override properties: PropertyDeclarations = {
    queue: { state: true, attribute: false },
    drafts: { state: true, attribute: false },
    failure: { state: true, attribute: false },
    notice: { state: true, attribute: false },
  };

  private queue: VideoView[] = [];
  private drafts: ReadonlyMap<string, ReviewDraft> = new Map();
  private failure: { error: unknown; denied: boolean } | undefined;
  private notice = '';

  /** The videos waiting for review, oldest first. */
  get videos(): readonly VideoView[] {
    return this.queue;
  }

  /** Loads the queue again; comments typed so far are dropped. */
  async reload(): Promise<void> {
    this.queue = [];
    this.drafts = new Map();
    this.failure = undefined;
    await this.load(
      (api) => api.getReviewQueue(),
      ({ videos }) => (this.queue = videos),
      (error) => {
        logRequestFailure(this.localName, error);
        const denied = error instanceof LecternApiError && error.code === 'permission.denied';
        this.failure = { error, denied };
      },
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.connectionChanged(changed)) void this.reload();
  }

  protected override render() {
    const t = this.localize.t;
    const loading = this.loadState === 'loading';
    return html`
      <p part="status" class=${loading || this.notice ? 'muted' : 'visually-hidden'} role="status">
        ${loading ? t('review.loading') : this.notice}
      </p>
      ${this.#renderFailure()} ${this.#renderQueue()}
    `;
  }

  #renderFailure() {
    if (!this.failure) return nothing;
    const t = this.localize.t;
    if (this.failure.denied) {
      return html`<div part="error" class="error" role="alert">${t('review.notCritic')}</div>`;
    }
    return html`<div part="error" class="error" role="alert">
      <span>${failureMessage(this.failure.error, t)}</span>
      <button part="retry-button" type="button" @click=${() => this.reload()}>
        ${t('error.retry')}
      </button>
    </div>`;
  }

  #renderQueue() {
    const t = this.localize.t;
    if (this.queue.length === 0) {
      if (this.loadState !== 'ready') return nothing;
      return html`<p part="empty" class="muted" tabindex="-1">${t('review.empty')}</p>`;
    }
    return html`<ul part="list" aria-label=${t('review.label')}>
      ${repeat(
        this.queue,
        (video) => video.id,
        (video) => renderReviewItem(video, this.#draft(video.id), t, this.#actions(video)),
      )}
    </ul>`;
  }

  #actions(video: VideoView) {
    return {
      approve: () => void this.#decide(video, 'approve'),
      reject: () => void this.#decide(video, 'reject'),
      cancel: () => this.#setDraft(video.id, { rejecting: false, comment: '' }),
      comment: (comment: string) => this.#setDraft(video.id, { comment }),
    };
  }

  async #decide(video: VideoView, decision: ReviewDecidedDetail['decision']): Promise<void> {
    const draft = this.#draft(video.id);
    const api = this.api;
    if (!api || draft.busy) return;
    if (decision === 'reject' && !draft.rejecting) {
      this.#setDraft(video.id, { rejecting: true });
      await this.#focusIn(video.id, '[part="comment"]');
      return;
    }
    const comment = draft.comment.trim();
    if (decision === 'reject' && comment === '') return;

    this.#setDraft(video.id, { busy: true, error: undefined });
    try {
      await api.reviewVideo(
        video.id,
        decision === 'approve' ? { decision } : { decision, comment },
      );
      const done = decision === 'approve' ? 'review.approved' : 'review.rejected';
      await this.#remove(video, this.localize.t(done, { title: video.title }));
      const detail: ReviewDecidedDetail = { videoId: video.id, decision };
      this.dispatchEvent(
        new CustomEvent('lectern-review-decided', { detail, bubbles: true, composed: true }),
      );
    } catch (error) {
      logRequestFailure(this.localName, error);
      if (error instanceof LecternApiError && error.code === 'video.wrong_state') {
        // Another critic (or the author) moved the video on meanwhile: it is no longer ours.
        await this.#remove(
          video,
          this.localize.t('review.decidedElsewhere', { title: video.title }),
        );
      } else {
        this.#setDraft(video.id, { busy: false, error });
      }
    }
  }

  /** Takes a video out of the queue and puts the focus where the critic goes on. */
  async #remove(video: VideoView, notice: string): Promise<void> {
    const index = this.queue.findIndex((queued) => queued.id === video.id);
    this.queue = this.queue.filter((queued) => queued.id !== video.id);
    const drafts = new Map(this.drafts);
    drafts.delete(video.id);
    this.drafts = drafts;
    this.notice = notice;

    const following = this.queue[Math.min(index, this.queue.length - 1)];
    if (following) await this.#focusIn(following.id, '[part="approve-button"]');
    else await this.#focus('[part="empty"]');
  }

  #draft(videoId: string): ReviewDraft {
    return this.drafts.get(videoId) ?? emptyDraft;
  }

  #setDraft(videoId: string, change: Partial<ReviewDraft>): void {
    this.drafts = new Map(this.drafts).set(videoId, { ...this.#draft(videoId), ...change });
  }

  async #focusIn(videoId: string, selector: string): Promise<void> {
    await this.#focus(`[data-video-id="${CSS.escape(videoId)}"] ${selector}`);
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }
}

if (!customElements.get('lectern-review-queue')) {
  customElements.define('lectern-review-queue', LecternReviewQueue);
}

declare global {
  interface HTMLElementTagNameMap {
    'lectern-review-queue': LecternReviewQueue;
  }
  interface HTMLElementEventMap {
    'lectern-review-decided': CustomEvent<ReviewDecidedDetail>;
  }
}
