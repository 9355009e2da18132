import { LecternApiError, logRequestFailure, type TenantExport } from '@lectern/sdk';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { failureMessage } from '../failure-message.js';
import { LocalizeController } from '../localize-controller.js';
import { StudioElement } from '../studio-element.js';
import { themeStyles } from '../theme.styles.js';
import { downloadArchive, type DownloadProgress } from './archive-download.js';
import { exportStyles } from './export.styles.js';
import { formatBytes, formatMoment } from './export-format.js';
import { exportStatus } from './export-status.js';
import { exportMessages, type ExportMessageKey } from './messages.js';

/** The detail of `lectern-export-ready`. */
export interface ExportReadyDetail {
  exportId: string;
}

/** The detail of `lectern-export-downloaded`. */
export interface ExportDownloadedDetail {
  exportId: string;
  /** The archive, named as the server suggests. */
  file: File;
}

// Polls for the state of a building export: soon at first, then less often.
const firstPollMs = 1000;
const lastPollMs = 15_000;

/**
 * Where a tenant admin takes everything of the tenant in one zip archive: request an export,
 * follow it while it is built, and download it (with the session's Bearer header, resumed
 * where the connection drops) until it expires.
 *
 * @summary A tenant admin's export of all the tenant's data.
 * @tagname lectern-export
 *
 * @attr base-url - The Lectern server's URL; used with `token`.
 * @attr token - The admin's session token (the property may also be a function that returns it).
 * @attr lang - The language of the element's text, `en` or `de`; inherited from the nearest ancestor with `lang`, the document, or the browser.
 *
 * @event {CustomEvent<{ exportId: string }>} lectern-export-ready - The export being followed is ready for download.
 * @event {CustomEvent<{ exportId: string, file: File }>} lectern-export-downloaded - The archive is downloaded; cancel the event to keep the browser from saving it, for example to hand the file on.
 *
 * @csspart export - The whole element.
 * @csspart heading - Its heading.
 * @csspart about - What an export holds.
 * @csspart status - The polite live region: loading, the export's state, the download's end.
 * @csspart progress - The progress bar while the archive is built or downloaded.
 * @csspart progress-text - How much of the archive has come, while downloading.
 * @csspart details - The ready export's size, files and expiry.
 * @csspart download-button - Downloads the ready archive.
 * @csspart save-link - Saves the downloaded archive again.
 * @csspart request-button - Requests an export, or a new one.
 * @csspart error - A refusal or failure as an alert, in words.
 * @csspart retry-button - Tries the failed request again.
 *
 * @cssproperty --lectern-font-family - The font.
 * @cssproperty --lectern-font-size - The base font size.
 * @cssproperty --lectern-color-text - Text.
 * @cssproperty --lectern-color-muted - Secondary text.
 * @cssproperty --lectern-color-surface - The background of buttons.
 * @cssproperty --lectern-color-border - Borders of buttons.
 * @cssproperty --lectern-color-accent - The Download button, the progress bar and the save link.
 * @cssproperty --lectern-color-on-accent - Text on the Download button.
 * @cssproperty --lectern-color-danger - Errors.
 * @cssproperty --lectern-color-focus - The focus ring.
 * @cssproperty --lectern-radius - Corners.
 */
export class LecternExport extends StudioElement {
  static override styles = [themeStyles, exportStyles];
  // `attribute: false` beside `state: true` keeps internal state out of the manifest's attributes.
  static override properties: PropertyDeclarations = {
    current: { state: true, attribute: false },
    requesting: { state: true, attribute: false },
    progress: { state: true, attribute: false },
    saved: { state: true, attribute: false },
    failure: { state: true, attribute: false },
  };

  private current: TenantExport | undefined;
  private requesting = false;
  private progress: DownloadProgress | undefined;
  private saved: { url: string; file: File; exportId: string } | undefined;
  private failure: { error: unknown; retry: (() => void) | undefined } | undefined;

  readonly #text = new LocalizeController(this, exportMessages);
  #poll: ReturnType<typeof setTimeout> | undefined;
  #pollDelay = firstPollMs;
  #download: AbortController | undefined;

  /** The export shown: the tenant's latest, or the one just requested. */
  get currentExport(): TenantExport | undefined {
    return this.current;
  }

  /** Loads the tenant's latest export again, and follows it while it is built. */
  async reload(): Promise<void> {
    this.#stop();
    this.current = undefined;
    this.failure = undefined;
    await this.load(
      (api) => api.listExports(),
      ({ exports }) => {
        this.current = exports[0];
        this.#follow();
      },
      (error) => this.#fail(error, () => void this.reload()),
    );
  }

  /** Requests an export, as the button does; gives the one under way if there is one. */
  async request(): Promise<void> {
    const api = this.api;
    if (!api || this.requesting || this.#download) return;
    const generation = this.generation;
    this.requesting = true;
    this.failure = undefined;
    try {
      const requested = await api.requestExport();
      if (generation !== this.generation) return;
      this.#show(requested);
      this.#pollDelay = firstPollMs;
      this.#follow();
    } catch (error) {
      if (generation === this.generation) this.#fail(error, () => void this.request());
    } finally {
      if (generation === this.generation) this.requesting = false;
    }
  }

  /** Downloads the ready archive, as the button does, and has the browser save it. */
  async download(): Promise<void> {
    const api = this.api;
    const found = this.current;
    if (!api || found?.state !== 'ready' || this.#download) return;
    const controller = new AbortController();
    this.#download = controller;
    this.failure = undefined;
    this.progress = { received: 0, size: found.size ?? 0, resuming: false };
    try {
      const { file } = await downloadArchive(
        api,
        found,
        (now) => (this.progress = now),
        controller.signal,
      );
      this.#keep(found.id, file);
      const detail: ExportDownloadedDetail = { exportId: found.id, file };
      const save = this.dispatchEvent(
        new CustomEvent('lectern-export-downloaded', {
          detail,
          bubbles: true,
          composed: true,
          cancelable: true,
        }),
      );
      if (save) await this.#saveFile();
    } catch (error) {
      if (controller.signal.aborted) return;
      this.#fail(error, () => void this.download());
      // Expired or failed meanwhile: show the export as it is now.
      if (error instanceof LecternApiError && error.code.startsWith('export.')) {
        await this.#refresh(found.id).catch(() => undefined);
      }
    } finally {
      if (this.#download === controller) {
        this.#download = undefined;
        this.progress = undefined;
      }
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.connectionChanged(changed)) void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Connected again, the connection's properties are unchanged: load and follow anew.
    this.generation += 1;
    this.#stop();
    if (this.saved) URL.revokeObjectURL(this.saved.url);
    this.saved = undefined;
    this.loadState = 'idle';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.loadState === 'idle' && this.hasUpdated) void this.reload();
  }

  protected override render() {
    const t = this.#text.t;
    const status = exportStatus(t, {
      loadState: this.loadState,
      current: this.current,
      requesting: this.requesting,
      progress: this.progress,
      saved: this.saved,
      downloading: this.#download !== undefined,
    });
    return html`<section part="export" aria-labelledby="export-heading">
      <h2 part="heading" id="export-heading">${t('export.heading')}</h2>
      <p part="about" class="muted">${t('export.about')}</p>
      <p part="status" role="status" class=${status ? 'muted' : 'visually-hidden'}>${status}</p>
      ${this.#renderFailure()} ${this.#renderProgress()} ${this.#renderReady()}
      ${this.#renderRequest()}
    </section>`;
  }

  #renderFailure() {
    if (!this.failure) return nothing;
    const { error, retry } = this.failure;
    const denied = error instanceof LecternApiError && error.code === 'permission.denied';
    return html`<div part="error" class="error" role="alert">
      <span>${this.#failureText(error)}</span>
      ${
        retry && !denied
          ? html`<button part="retry-button" type="button" @click=${retry}>
              ${this.localize.t('error.retry')}
            </button>`
          : nothing
      }
    </div>`;
  }

  #renderProgress() {
    const t = this.#text.t;
    const state = this.current?.state;
    if (this.progress) {
      const { received, size } = this.progress;
      const text = t('export.downloading', {
        received: formatBytes(received, t.lang),
        size: formatBytes(size, t.lang),
      });
      return html`<progress
          part="progress"
          aria-label=${t('export.downloadLabel')}
          max=${size || 1}
          .value=${received}
        ></progress>
        <p part="progress-text" class="muted">${text}</p>`;
    }
    if (state !== 'queued' && state !== 'building') return nothing;
    return html`<progress part="progress" aria-label=${t('export.progressLabel')}></progress>`;
  }

  #renderReady() {
    const found = this.current;
    if (found?.state !== 'ready') return nothing;
    const t = this.#text.t;
    const size = formatBytes(found.size ?? 0, t.lang);
    const saved = this.saved?.exportId === found.id ? this.saved : undefined;
    return html`${
        found.expiresAt
          ? html`<p part="details">
              ${t('export.readyUntil', { date: formatMoment(found.expiresAt, t.lang) })}
            </p>`
          : nothing
      }
      <div class="actions">
        <button
          part="download-button"
          class="primary"
          type="button"
          aria-disabled=${String(this.#download !== undefined)}
          @click=${() => void this.download()}
        >
          ${t('export.download', { size })}
        </button>
        ${
          saved
            ? html`<a part="save-link" href=${saved.url} download=${saved.file.name}>
                ${t('export.saveAgain', { file: saved.file.name })}
              </a>`
            : nothing
        }
      </div>`;
  }

  #renderRequest() {
    if (this.loadState !== 'ready' || this.#denied()) return nothing;
    const state = this.current?.state;
    if (state === 'queued' || state === 'building') return nothing;
    const t = this.#text.t;
    return html`<div class="actions">
      <button
        part="request-button"
        class=${this.current ? '' : 'primary'}
        type="button"
        aria-disabled=${String(this.requesting || this.#download !== undefined)}
        @click=${() => void this.request()}
      >
        ${t(this.current ? 'export.requestAgain' : 'export.request')}
      </button>
    </div>`;
  }

  /** The export's own sentence for a code when there is one, else the studio's. */
  #failureText(error: unknown): string {
    const t = this.#text.t;
    if (error instanceof LecternApiError) {
      if (error.code === 'permission.denied') return t('export.notAdmin');
      const key = `error.${error.code}`;
      if (Object.hasOwn(exportMessages.en, key)) return t(key as ExportMessageKey);
    }
    return failureMessage(error, this.localize.t);
  }

  #denied(): boolean {
    const error = this.failure?.error;
    return error instanceof LecternApiError && error.code === 'permission.denied';
  }

  #fail(error: unknown, retry: (() => void) | undefined): void {
    logRequestFailure(this.localName, error);
    this.failure = { error, retry };
  }

  /** Shows an export; one that just became ready announces itself. */
  #show(found: TenantExport): void {
    const before = this.current;
    this.current = found;
    if (found.state === 'ready' && before?.id === found.id && before.state !== 'ready') {
      const detail: ExportReadyDetail = { exportId: found.id };
      this.dispatchEvent(
        new CustomEvent('lectern-export-ready', { detail, bubbles: true, composed: true }),
      );
    }
  }

  /** Asks again for an export being built, each time after a longer pause. */
  #follow(): void {
    const found = this.current;
    clearTimeout(this.#poll);
    if (!found || (found.state !== 'queued' && found.state !== 'building')) return;
    const generation = this.generation;
    this.#poll = setTimeout(() => {
      this.#pollDelay = Math.min(this.#pollDelay * 1.5, lastPollMs);
      this.#refresh(found.id).then(
        () => generation === this.generation && this.#follow(),
        (error: unknown) => {
          if (generation === this.generation) this.#fail(error, () => void this.reload());
        },
      );
    }, this.#pollDelay);
  }

  async #refresh(exportId: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    const generation = this.generation;
    const found = await api.getExport(exportId);
    if (generation === this.generation && this.current?.id === exportId) this.#show(found);
  }

  #stop(): void {
    clearTimeout(this.#poll);
    this.#poll = undefined;
    this.#pollDelay = firstPollMs;
    this.#download?.abort();
    this.#download = undefined;
    this.progress = undefined;
  }

  /** Holds the archive for the save link; the one before is let go. */
  #keep(exportId: string, file: File): void {
    if (this.saved) URL.revokeObjectURL(this.saved.url);
    this.saved = { url: URL.createObjectURL(file), file, exportId };
  }

  async #saveFile(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLAnchorElement>('[part="save-link"]')?.click();
  }
}

if (!customElements.get('lectern-export')) customElements.define('lectern-export', LecternExport);

declare global {
  interface HTMLElementTagNameMap {
    'lectern-export': LecternExport;
  }
  interface HTMLElementEventMap {
    'lectern-export-ready': CustomEvent<ExportReadyDetail>;
    'lectern-export-downloaded': CustomEvent<ExportDownloadedDetail>;
  }
}
