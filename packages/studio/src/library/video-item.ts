import { isVideoState, type Translator, type VideoView } from '@lectern/sdk';
import { html, nothing } from 'lit';
import { formatDate } from '../format.js';
import type { MessageKey } from '../messages.js';

/**
 * One video of the library: a native button, so that Enter and Space pick it and its
 * accessible name is what it shows (title, state, dates).
 */
export function renderVideoItem(video: VideoView, t: Translator<MessageKey>, select: () => void) {
  const state = isVideoState(video.state) ? video.state : undefined;
  const badge = state
    ? html`<span part="state state-${state}" class="badge ${state}">${t(`state.${state}`)}</span>`
    : nothing;
  const added = t('library.added', { date: formatDate(video.createdAt, t.lang) });
  const published = video.publishedAt
    ? html`<span aria-hidden="true"> · </span>
        <time datetime=${video.publishedAt}>
          ${t('library.published', { date: formatDate(video.publishedAt, t.lang) })}
        </time>`
    : nothing;

  return html`<li>
    <button part="item" type="button" data-video-id=${video.id} @click=${select}>
      <span part="title" class="title">${video.title}</span>
      ${badge}
      <span part="dates" class="muted dates">
        <time datetime=${video.createdAt}>${added}</time>${published}
      </span>
    </button>
  </li>`;
}
