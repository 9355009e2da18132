import { createTranslator, resolveLanguage, watchLanguage, type TokenSource } from '@lectern/sdk';
import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import { uploaderStyles } from './lectern-uploader.styles.js';
import { catalogs } from './messages.js';
import { UploadController } from './upload-controller.js';
import { isBusy, renderUploader, type UploadState } from './uploader-view.js';

/**
 * Uploads one training video to Lectern over tus: chosen by drag and drop or a file picker,
 * resumable after a dropped connection or a page reload, with progress, pause and cancel.
 *
 * @summary Resumable upload of a training video into Lectern.
 * @tagname lectern-uploader
 *
 * @attr base-url - The Lectern server's public URL; uploads go to `{base-url}/api/v1/uploads`.
 * @attr token - The session token, sent as a Bearer header. As a property it may also be a function that returns the current token; it is asked before every request.
 * @attr accept - Accepted kinds of file, as for `<input accept>`; `video/*` unless set.
 * @attr max-size - Largest file in bytes, checked in the browser before uploading; the server enforces the tenant's own limit regardless.
 * @attr video-title - The video's title; the file name without its extension unless set.
 * @attr chunk-size - Bytes per request; the whole rest of the file unless set. Best a multiple of the server's 64 KiB chunk.
 * @attr lang - The language of the element's text, `en` or `de`; inherited from the nearest ancestor with `lang`, the document, or the browser.
 *
 * @event {CustomEvent<{ name: string; size: number; resumed: boolean }>} lectern-upload-start - An upload began, or an unfinished one of the same file is resumed.
 * @event {CustomEvent<{ bytesUploaded: number; bytesTotal: number }>} lectern-upload-progress - Bytes went out or the server reported its offset; may step back when the server kept less than was sent.
 * @event {CustomEvent<{ reason: 'user' | 'offline' }>} lectern-upload-pause - The person paused, or the browser went offline.
 * @event {CustomEvent<{ reason: 'user' | 'online' }>} lectern-upload-resume - The person resumed or tried again, or the browser came back online.
 * @event {CustomEvent<{ videoId: string | undefined }>} lectern-upload-complete - Every byte is on the server; the video goes on to processing and review.
 * @event {CustomEvent<{ code: string; message: string }>} lectern-upload-error - The upload failed or the file was refused; `message` is the sentence shown.
 * @event {CustomEvent<{ name: string }>} lectern-upload-cancel - The person cancelled; the upload is deleted on the server.
 *
 * @csspart dropzone - The area that takes a dropped file; a click, Enter or Space opens the picker.
 * @csspart button - The button that opens the file picker.
 * @csspart file - The chosen file's name and size.
 * @csspart progress - The `<progress>` bar.
 * @csspart status - The polite live region that says what is happening, errors included.
 * @csspart pause-button - Pauses a running upload.
 * @csspart resume-button - Resumes a paused upload, or tries a failed one again.
 * @csspart cancel-button - Cancels the upload and deletes it on the server.
 *
 * @cssproperty --lectern-font-family - The font.
 * @cssproperty --lectern-font-size - The base font size.
 * @cssproperty --lectern-color-text - Text.
 * @cssproperty --lectern-color-muted - Secondary text: the file size.
 * @cssproperty --lectern-color-surface - The background of buttons.
 * @cssproperty --lectern-color-border - Borders of buttons.
 * @cssproperty --lectern-color-accent - The picker button, the progress bar, the drop zone while a file is over it.
 * @cssproperty --lectern-color-on-accent - Text on the accent colour.
 * @cssproperty --lectern-color-danger - Error messages.
 * @cssproperty --lectern-color-focus - The focus ring.
 * @cssproperty --lectern-radius - The corners of the drop zone and buttons.
 * @cssproperty --lectern-uploader-gap - Space between the parts.
 * @cssproperty --lectern-uploader-dropzone-border-color - The drop zone's dashed border.
 * @cssproperty --lectern-uploader-dropzone-background - The drop zone's background.
 * @cssproperty --lectern-uploader-dropzone-active-background - The drop zone's background while a file is dragged over it.
 * @cssproperty --lectern-uploader-progress-height - The progress bar's height.
 */
export class LecternUploader extends LitElement {
  static override styles = uploaderStyles;
  // Declared without decorators: tsc's `__decorate` helper reads a top-level `this`, which the
  // bundle build refuses (rollup's THIS_IS_UNDEFINED warning is an error there).
  static override properties: PropertyDeclarations = {
    baseUrl: { attribute: 'base-url' },
    token: {},
    accept: {},
    maxSize: { attribute: 'max-size', type: Number },
    videoTitle: { attribute: 'video-title' },
    chunkSize: { attribute: 'chunk-size', type: Number },
    retryDelays: { attribute: false },
    dragging: { state: true, attribute: false },
  };

  /** The Lectern server's public URL, for example `https://lectern.example.com`. */
  baseUrl = '';

  /** The session token, or a function that returns the current one before each request. */
  token: TokenSource | undefined;

  /** Accepted kinds of file, as for `<input accept>`. */
  accept = 'video/*';

  /** Largest file in bytes, checked before uploading (the server decides in the end). */
  maxSize: number | undefined;

  /** The video's title; the file name without its extension when empty. */
  videoTitle = '';

  /** Bytes per request; `Infinity` sends the rest of the file in one. */
  chunkSize = Number.POSITIVE_INFINITY;

  /** Pauses in milliseconds before each new attempt after a failed request. */
  retryDelays: readonly number[] = [0, 1000, 3000, 5000, 10000, 20000];

  private dragging = false;
  readonly #upload = new UploadController(this, () => this.#translator());
  #stopWatchingLanguage: (() => void) | undefined;

  /** `idle`, `uploading`, `paused`, `offline` (waiting for the network), `complete` or `error`. */
  get state(): UploadState {
    return this.#upload.state;
  }

  /** The id of the video being made, once the server has named it. */
  get videoId(): string | undefined {
    return this.#upload.session?.videoId;
  }

  /** The file chosen last. */
  get file(): File | undefined {
    return this.#upload.file;
  }

  /** The failure's code and the sentence shown for it, while the state is `error`. */
  get error(): { code: string; message: string } | undefined {
    const failure = this.#upload.failure;
    return failure && { code: failure.code, message: failure.text(this.#translator()) };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stopWatchingLanguage = watchLanguage(this, () => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopWatchingLanguage?.();
  }

  /**
   * Checks the file and uploads it, resuming an unfinished upload of it by the same user.
   * Resolves once the upload has started or could not (the file refused, the tus client not
   * loaded); throws while another runs.
   */
  selectFile(file: File): Promise<void> {
    return this.#upload.select(file);
  }

  /** Pauses a running upload; the server keeps what it has. */
  pause(): void {
    this.#upload.pause('user');
  }

  /** Resumes a paused upload, or tries a failed one again from the server's offset. */
  resume(): void {
    this.#upload.resume('user');
  }

  /** Cancels the upload, asks the server to delete it, and forgets it in this browser. */
  cancel(): void {
    this.#upload.cancel();
  }

  protected override render() {
    const t = this.#translator();
    const { state, file, bytes, notice, failure, session } = this.#upload;
    const statusText = failure ? failure.text(t) : notice ? t(notice.key, notice.values) : '';
    return renderUploader(
      {
        t,
        state,
        accept: this.accept,
        file,
        bytes,
        status: { text: statusText, isError: failure !== undefined },
        dragging: this.dragging,
        canRetry: failure?.retryable === true && session !== undefined,
        canCancel: session !== undefined && state !== 'complete' && state !== 'idle',
      },
      this.#actions,
    );
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const part = this.#upload.focusAfterUpdate;
    this.#upload.focusAfterUpdate = undefined;
    if (part) this.renderRoot.querySelector<HTMLElement>(`[part~="${part}"]`)?.focus();
  }

  #translator() {
    return createTranslator(catalogs, resolveLanguage(this));
  }

  readonly #actions = {
    openPicker: () => {
      if (isBusy(this.state)) return;
      this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
    },
    dropzoneKeydown: (event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      this.#actions.openPicker();
    },
    dragOver: (event: DragEvent) => {
      event.preventDefault();
      const busy = isBusy(this.state);
      if (event.dataTransfer) event.dataTransfer.dropEffect = busy ? 'none' : 'copy';
      this.dragging = !busy;
    },
    dragLeave: () => {
      this.dragging = false;
    },
    drop: (event: DragEvent) => {
      event.preventDefault();
      this.dragging = false;
      const file = event.dataTransfer?.files[0];
      if (file && !isBusy(this.state)) void this.selectFile(file);
    },
    filePicked: (event: Event) => {
      const input = event.target as HTMLInputElement;
      const file = input.files?.[0];
      input.value = '';
      if (file) void this.selectFile(file);
    },
    pause: () => this.pause(),
    resume: () => this.resume(),
    cancel: () => this.cancel(),
  };
}
