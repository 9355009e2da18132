import { isVideoState, logRequestFailure, type VideoState, type VideoView } from '@lectern/sdk';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { failureMessage } from '../failure-message.js';
import { StudioElement } from '../studio-element.js';
import { themeStyles } from '../theme.styles.js';
import { libraryStyles } from './library.styles.js';
import { renderVideoItem } from './video-item.js';

/** The detail of `lectern-video-select`. */
export interface VideoSelectDetail {
  videoId: string;
}

/**
 * The videos the signed-in person may see, newest first, a page at a time.
 *
 * @summary A list of videos to pick from.
 * @tagname lectern-library
 *
 * @attr base-url - The Lectern server's URL; used with `token`.
 * @attr token - The signed-in person's session token.
 * @attr lang - The language of the element's text, `en` or `de`; inherited from the nearest ancestor with `lang`, the document, or the browser.
 * @attr state - Only videos in this state: `uploading`, `processing`, `in_review`, `published`, `rejected` or `failed`.
 * @attr mine - Only the signed-in person's own videos.
 * @attr limit - How many videos a page holds, 1 to 100 (20 by default).
 *
 * @event {CustomEvent<{ videoId: string }>} lectern-video-select - A video was picked, by click, Enter or Space.
 *
 * @csspart list - The list of videos.
 * @csspart item - The button for one video.
 * @csspart title - A video's title.
 * @csspart state - A video's state badge; it also has the part `state-<state>`, e.g. `state-published`.
 * @csspart dates - When a video was added and published.
 * @csspart status - The polite live region that says what is loading.
 * @csspart empty - Shown when there are no videos.
 * @csspart error - Shown when the server refused or could not be reached; holds its message.
 * @csspart retry-button - Tries the failed request again.
 * @csspart load-more-button - Loads the next page.
 *
 * @cssproperty --lectern-font-family - The font.
 * @cssproperty --lectern-font-size - The base font size.
 * @cssproperty --lectern-color-text - Text.
 * @cssproperty --lectern-color-muted - Secondary text, such as dates.
 * @cssproperty --lectern-color-surface - The background of items and buttons.
 * @cssproperty --lectern-color-border - Borders of items and buttons.
 * @cssproperty --lectern-color-accent - The hovered item's border.
 * @cssproperty --lectern-color-danger - The error message.
 * @cssproperty --lectern-color-focus - The focus ring.
 * @cssproperty --lectern-radius - The corners of items, buttons and badges.
 */
export class LecternLibrary extends StudioElement {
  static override styles = [themeStyles, libraryStyles];
  // `attribute: false` beside `state: true` keeps internal state out of the manifest's attributes.
  static override properties: PropertyDeclarations = {
    state: { reflect: true },
    mine: { type: Boolean, reflect: true },
    limit: { type: Number },
    videoList: { state: true, attribute: false },
    next: { state: true, attribute: false },
    loadingMore: { state: true, attribute: false },
    failure: { state: true, attribute: false },
  };

  /** Only videos in this state; empty for every state the person may see. */
  state: VideoState | '' = '';

  /** Only the signed-in person's own videos. */
  mine = false;

  /** How many videos a page holds, 1 to 100. */
  limit = 20;

  private videoList: VideoView[] = [];
  private next: string | null = null;
  private loadingMore = false;
  private failure: { error: unknown; retry: () => void } | undefined;

  /** The videos shown so far. */
  get videos(): readonly VideoView[] {
    return this.videoList;
  }

  /** Loads the first page again, for example after the page changed a video. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    const api = this.api;
    this.videoList = [];
    this.next = null;
    this.failure = undefined;
    this.loadingMore = false;
    if (!api) {
      this.loadState = 'idle';
      return;
    }

    this.loadState = 'loading';
    try {
      const page = await api.listVideos(this.#query());
      if (generation !== this.generation) return;
      this.videoList = page.videos;
      this.next = page.next;
      this.loadState = 'ready';
    } catch (error) {
      if (generation !== this.generation) return;
      this.#fail(error, () => void this.reload());
    }
  }

  /** Loads the page after the last one shown; does nothing on the last page. */
  async loadMore(): Promise<void> {
    const api = this.api;
    const before = this.next;
    if (!api || !before || this.loadingMore) return;

    const generation = this.generation;
    const askedByKeyboardOrClick = this.shadowRoot?.activeElement?.matches(
      '[part="load-more-button"]',
    );
    this.loadingMore = true;
    this.failure = undefined;
    try {
      const page = await api.listVideos({ ...this.#query(), before });
      if (generation !== this.generation) return;
      const firstNew = page.videos[0];
      this.videoList = [...this.videoList, ...page.videos];
      this.next = page.next;
      // The button may be gone now; the first new video is where the reader goes on.
      if (firstNew && askedByKeyboardOrClick) void this.#focusVideo(firstNew.id);
    } catch (error) {
      if (generation !== this.generation) return;
      this.#fail(error, () => void this.loadMore());
    } finally {
      if (generation === this.generation) this.loadingMore = false;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const asked = changed.has('state') || changed.has('mine') || changed.has('limit');
    if (this.connectionChanged(changed) || asked) void this.reload();
  }

  protected override render() {
    return html`${this.#renderStatus()} ${this.#renderFailure()} ${this.#renderList()}
    ${this.#renderLoadMore()}`;
  }

  #renderStatus() {
    const t = this.localize.t;
    const loading = this.loadState === 'loading' || this.loadingMore;
    let text = '';
    if (loading) text = t('library.loading');
    else if (this.loadState === 'ready')
      text = t('library.shown', { count: this.videoList.length });
    return html`<p part="status" class=${loading ? 'muted' : 'visually-hidden'} role="status">
      ${text}
    </p>`;
  }

  #renderFailure() {
    if (!this.failure) return nothing;
    const t = this.localize.t;
    return html`<div part="error" class="error" role="alert">
      <span>${failureMessage(this.failure.error, t)}</span>
      <button part="retry-button" type="button" @click=${this.failure.retry}>
        ${t('error.retry')}
      </button>
    </div>`;
  }

  #renderList() {
    const t = this.localize.t;
    if (this.videoList.length === 0) {
      if (this.loadState !== 'ready') return nothing;
      return html`<p part="empty" class="muted">${t('library.empty')}</p>`;
    }
    return html`<ul part="list" aria-label=${t('library.label')}>
      ${repeat(
        this.videoList,
        (video) => video.id,
        (video) => renderVideoItem(video, t, () => this.#select(video.id)),
      )}
    </ul>`;
  }

  #renderLoadMore() {
    if (!this.next || this.failure) return nothing;
    return html`<button
      part="load-more-button"
      type="button"
      aria-disabled=${String(this.loadingMore)}
      @click=${() => void this.loadMore()}
    >
      ${this.localize.t('library.loadMore')}
    </button>`;
  }

  #query() {
    return {
      ...(isVideoState(this.state) ? { state: this.state } : {}),
      ...(this.mine ? { mine: true } : {}),
      limit: Math.min(100, Math.max(1, Math.trunc(this.limit) || 20)),
    };
  }

  #select(videoId: string): void {
    const detail: VideoSelectDetail = { videoId };
    this.dispatchEvent(
      new CustomEvent('lectern-video-select', { detail, bubbles: true, composed: true }),
    );
  }

  #fail(error: unknown, retry: () => void): void {
    logRequestFailure(this.localName, error);
    this.failure = { error, retry };
    if (this.loadState === 'loading') this.loadState = 'failed';
  }

  async #focusVideo(videoId: string): Promise<void> {
    await this.updateComplete;
    const item = this.renderRoot.querySelector<HTMLElement>(
      `[data-video-id="${CSS.escape(videoId)}"]`,
    );
    item?.focus();
  }
}

if (!customElements.get('lectern-library'))
  customElements.define('lectern-library', LecternLibrary);

declare global {
  interface HTMLElementTagNameMap {
    'lectern-library': LecternLibrary;
  }
  interface HTMLElementEventMap {
    'lectern-video-select': CustomEvent<VideoSelectDetail>;
  }
}
