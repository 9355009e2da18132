import type { Translator, VideoView } from '@lectern/sdk';
import { html, nothing } from 'lit';
import { failureMessage } from '../failure-message.js';
import { formatDate } from '../format.js';
import type { MessageKey } from '../messages.js';

/** Where a critic is with one video of the queue. */
export interface ReviewDraft {
  /** The comment field is open: the next Reject sends the rejection. */
  rejecting: boolean;
  comment: string;
  /** A decision is on its way to the server. */
  busy: boolean;
  /** Why the last decision failed, when the video stayed in the queue. */
  error?: unknown;
}

export const emptyDraft: ReviewDraft = { rejecting: false, comment: '', busy: false };

export interface ReviewItemActions {
  approve(): void;
  reject(): void;
  cancel(): void;
  comment(text: string): void;
}

/** One video waiting for review, with Approve and Reject, and the comment field when open. */
export function renderReviewItem(
  video: VideoView,
  draft: ReviewDraft,
  t: Translator<MessageKey>,
  actions: ReviewItemActions,
) {
  const titleId = `title-${video.id}`;
  const description = video.description
    ? html`<p part="description" class="description">${video.description}</p>`
    : nothing;
  const failure =
    draft.error === undefined
      ? nothing
      : html`<p part="item-error" class="error" role="alert">${failureMessage(draft.error, t)}</p>`;

  const cancel = draft.rejecting
    ? html`<button part="cancel-button" type="button" @click=${actions.cancel}>
        ${t('review.cancel')}
      </button>`
    : nothing;

  return html`<li part="item" data-video-id=${video.id}>
    <span part="title" class="title" id=${titleId}>${video.title}</span>
    <time part="date" class="muted" datetime=${video.createdAt}>
      ${t('review.submitted', { date: formatDate(video.createdAt, t.lang) })}
    </time>
    ${description} ${draft.rejecting ? renderComment(video, draft, t, actions) : nothing} ${failure}
    <div part="actions" class="actions">
      <button
        part="approve-button"
        class="primary"
        type="button"
        aria-describedby=${titleId}
        aria-disabled=${String(draft.busy)}
        @click=${actions.approve}
      >
        ${t('review.approve')}
      </button>
      <button
        part="reject-button"
        class="danger"
        type="button"
        aria-describedby=${titleId}
        aria-disabled=${String(draft.busy)}
        ?disabled=${draft.rejecting && draft.comment.trim() === ''}
        @click=${actions.reject}
      >
        ${t('review.reject')}
      </button>
      ${cancel}
    </div>
  </li>`;
}

/** The comment a rejection needs; the Reject button stays disabled until it holds a reason. */
function renderComment(
  video: VideoView,
  draft: ReviewDraft,
  t: Translator<MessageKey>,
  actions: ReviewItemActions,
) {
  const commentId = `comment-${video.id}`;
  const typed = (event: InputEvent) => actions.comment((event.target as HTMLTextAreaElement).value);
  return html`<label part="comment-label" for=${commentId}>${t('review.comment')}</label>
    <textarea
      part="comment"
      id=${commentId}
      rows="3"
      required
      maxlength="2000"
      .value=${draft.comment}
      @input=${typed}
    ></textarea>`;
}
