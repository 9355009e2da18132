import { LecternApiError, logRequestFailure, type TokenSource } from '@lectern/sdk';
import type { HttpRequest, HttpResponse, Upload, UploadOptions } from 'tus-js-client';
import { ResumeStore, fingerprintOf, type RememberedUpload } from './resume-store.js';
import type * as TusClient from './tus-client.js';
import { currentToken, subjectOf } from './session-token.js';
import { ResumeRefused, apiErrorOf, isRetryable, uploaderErrorCodes } from './upload-error.js';

export interface UploadSessionOptions {
  file: File;
  /** `{baseUrl}/api/v1/uploads` */
  endpoint: string;
  title: string;
  /** Asked before every request, so that a token the page has just refreshed is used. */
  token: () => TokenSource | undefined;
  retryDelays: readonly number[];
  /** Bytes per PATCH; `Infinity` sends the rest of the file in one request. */
  chunkSize: number;
}

/** What a session tells the element; after `cancel()` it tells nothing more. */
export interface UploadSessionListener {
  /** The upload begins: a new one, or an unfinished one of this file that is `resumed`. */
  started(resumed: boolean): void;
  progress(bytesUploaded: number, bytesTotal: number): void;
  /** A failed request will be tried again after a pause; `attempt` counts from 1. */
  retrying(attempt: number, attempts: number): void;
  /** The remembered upload is gone from the server (expired, say); a new one begins. */
  restarting(): void;
  complete(videoId: string | undefined): void;
  failed(error: LecternApiError): void;
}

const videoIdHeader = 'Lectern-Video-Id';
// A server that keeps answering without taking a byte would make tus-js-client resend forever.
const idleAnswersAllowed = 3;

/**
 * One file's way to the server over tus: creating or resuming it, pausing, cancelling. The tus
 * client is loaded on `start()`; until it is there, pausing and cancelling only take note.
 */
export class UploadSession {
  readonly file: File;
  readonly #options: UploadSessionOptions;
  readonly #listener: UploadSessionListener;
  readonly #store: ResumeStore;
  #upload: Upload | undefined;
  /** `start()` under way or done; cleared when the tus client failed to load, to try again. */
  #starting: Promise<void> | undefined;
  #videoId: string | undefined;
  #idleAnswers = 0;
  #paused = false;
  #cancelled = false;
  /** The remembered uploads have been looked up; until then `start()` is still deciding. */
  #looked = false;

  constructor(options: UploadSessionOptions, listener: UploadSessionListener) {
    this.file = options.file;
    this.#options = options;
    this.#listener = listener;
    this.#store = new ResumeStore(() => this.#videoId);
  }

  /** The video the upload makes, once the server has named it. */
  get videoId(): string | undefined {
    return this.#videoId;
  }

  /**
   * Loads the tus client, then resumes an unfinished upload of the same file by the same user
   * or creates one. Calls after the first return the same promise, unless the client failed to
   * load: then they try again.
   */
  start(): Promise<void> {
    this.#starting ??= this.#begin();
    return this.#starting;
  }

  /** Stops sending; the server keeps what it committed. */
  pause(): void {
    this.#paused = true;
    void this.#upload?.abort(false);
  }

  /** Asks the server for its offset (HEAD) and sends the rest; loads the tus client if need be. */
  resume(): void {
    this.#paused = false;
    this.#idleAnswers = 0;
    if (this.#looked) this.#upload?.start();
    else void this.start();
  }

  /** Stops, asks the server to delete the upload, and forgets it in this browser. */
  async cancel(): Promise<void> {
    this.#cancelled = true;
    try {
      await this.#upload?.abort(true);
    } catch (error) {
      // The server deletes unfinished uploads when they expire; nothing is left for long.
      logRequestFailure('lectern-uploader: cancelling', apiErrorOf(error));
    }
    for (const entry of await this.#previousUploads()) {
      await this.#store.removeUpload(entry.urlStorageKey);
    }
  }

  async #begin(): Promise<void> {
    const [client, previous] = await Promise.all([this.#loadTusClient(), this.#previousUploads()]);
    if (client instanceof LecternApiError) {
      // Cleared before the failure is told, so that a resume() from then on tries again.
      this.#starting = undefined;
      if (!this.#cancelled) this.#listener.failed(client);
      return;
    }
    if (this.#cancelled) return;

    const upload = new client.Upload(this.file, this.#tusOptions());
    this.#upload = upload;
    const newest = previous.find((entry) => entry.size === this.file.size && entry.uploadUrl);
    for (const entry of previous) {
      if (entry !== newest) await this.#store.removeUpload(entry.urlStorageKey);
    }
    if (newest) {
      upload.resumeFromPreviousUpload(newest);
      this.#videoId = newest.videoId;
    }
    this.#looked = true;
    if (this.#cancelled) return;

    this.#listener.started(newest !== undefined);
    // Paused while the client loaded or the remembered uploads were looked up: stay so.
    if (!this.#paused) upload.start();
  }

  /** The tus client, loaded on first use, or why it could not be loaded. */
  async #loadTusClient(): Promise<typeof TusClient | LecternApiError> {
    try {
      return await import('./tus-client.js');
    } catch (error) {
      return new LecternApiError(
        {
          code: uploaderErrorCodes.loadFailed,
          status: 0,
          message: `The tus client did not load: ${String(error)}`,
        },
        { cause: error },
      );
    }
  }

  /** Unfinished uploads of this file by this user, newest first; what tus would look up. */
  async #previousUploads(): Promise<RememberedUpload[]> {
    try {
      const found = await this.#store.findUploadsByFingerprint(await this.#fingerprint());
      return found.toSorted((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime));
    } catch {
      // Without the list (no storage, no token yet) the upload starts afresh.
      return [];
    }
  }

  async #fingerprint(): Promise<string | null> {
    const user = subjectOf(await currentToken(this.#options.token()));
    return fingerprintOf(this.file, this.#options.endpoint, user);
  }

  #tusOptions(): UploadOptions {
    const { file, endpoint, title, retryDelays, chunkSize } = this.#options;
    const canRefreshToken = () => typeof this.#options.token() === 'function';
    return {
      endpoint,
      metadata: { filename: file.name, filetype: file.type || 'application/octet-stream', title },
      chunkSize,
      retryDelays: [...retryDelays],
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      urlStorage: this.#store,
      fingerprint: (() => this.#fingerprint()) as UploadOptions['fingerprint'],
      onBeforeRequest: async (request: HttpRequest) => {
        const token = await currentToken(this.#options.token());
        if (token) request.setHeader('Authorization', `Bearer ${token}`);
      },
      onAfterResponse: (request: HttpRequest, response: HttpResponse) => {
        this.#readAnswer(request, response);
      },
      onShouldRetry: (error, attempt) => {
        if (this.#cancelled || globalThis.navigator?.onLine === false) return false;
        const retry = isRetryable(apiErrorOf(error), canRefreshToken());
        if (retry) this.#listener.retrying(attempt + 1, retryDelays.length);
        return retry;
      },
      onProgress: (sent, total) => {
        if (!this.#cancelled) this.#listener.progress(sent, total);
      },
      onChunkComplete: (accepted) => this.#countIdleAnswers(accepted),
      onSuccess: ({ lastResponse }) => {
        this.#videoId = lastResponse.getHeader(videoIdHeader) ?? this.#videoId;
        if (!this.#cancelled) this.#listener.complete(this.#videoId);
      },
      onError: (error) => {
        if (!this.#cancelled) this.#listener.failed(apiErrorOf(error));
      },
    };
  }

  /** Keeps the video id the server names, and keeps a refused HEAD from losing the upload. */
  #readAnswer(request: HttpRequest, response: HttpResponse): void {
    const videoId = response.getHeader(videoIdHeader);
    if (videoId) this.#videoId = videoId;
    if (request.getMethod() !== 'HEAD') return;

    const status = response.getStatus();
    // tus-js-client forgets the upload on any 4xx to HEAD; for these the upload is fine.
    if (status === 401 || status === 403) throw new ResumeRefused(response);
    if (status === 404 || status === 410) {
      this.#videoId = undefined;
      this.#listener.restarting();
    }
  }

  #countIdleAnswers(acceptedBytes: number): void {
    this.#idleAnswers = acceptedBytes > 0 ? 0 : this.#idleAnswers + 1;
    if (this.#idleAnswers < idleAnswersAllowed) return;

    void this.#upload?.abort(false);
    this.#listener.failed(
      new LecternApiError({
        code: uploaderErrorCodes.noProgress,
        status: 0,
        message: `The server answered ${idleAnswersAllowed} times in a row without taking a byte.`,
      }),
    );
  }
}
