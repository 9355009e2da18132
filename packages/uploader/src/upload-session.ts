import { LecternApiError, logRequestFailure, type TokenSource } from '@lectern/sdk';
import { Upload, type HttpRequest, type HttpResponse, type UploadOptions } from 'tus-js-client';
import { ResumeStore, fingerprintOf, type RememberedUpload } from './resume-store.js';
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

/** One file's way to the server over tus: creating or resuming it, pausing, cancelling. */
export class UploadSession {
  readonly file: File;
  /** True when an unfinished upload of this file, by this user, was found and is resumed. */
  resumed = false;
  readonly #options: UploadSessionOptions;
  readonly #listener: UploadSessionListener;
  readonly #store: ResumeStore;
  readonly #upload: Upload;
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
    this.#upload = new Upload(options.file, this.#tusOptions());
  }

  /** The video the upload makes, once the server has named it. */
  get videoId(): string | undefined {
    return this.#videoId;
  }

  /** Resumes an unfinished upload of the same file by the same user, or creates one. */
  async start(): Promise<void> {
    const previous = await this.#previousUploads();
    const newest = previous.find((entry) => entry.size === this.file.size && entry.uploadUrl);
    for (const entry of previous) {
      if (entry !== newest) await this.#store.removeUpload(entry.urlStorageKey);
    }
    if (newest) {
      this.#upload.resumeFromPreviousUpload(newest);
      this.#videoId = newest.videoId;
      this.resumed = true;
    }
    this.#looked = true;
    // Paused or cancelled while the remembered uploads were looked up: stay so.
    if (!this.#cancelled && !this.#paused) this.#upload.start();
  }

  /** Stops sending; the server keeps what it committed. */
  pause(): void {
    this.#paused = true;
    void this.#upload.abort(false);
  }

  /** Asks the server for its offset (HEAD) and sends the rest. */
  resume(): void {
    this.#paused = false;
    this.#idleAnswers = 0;
    if (this.#looked) this.#upload.start();
  }

  /** Stops, asks the server to delete the upload, and forgets it in this browser. */
  async cancel(): Promise<void> {
    this.#cancelled = true;
    try {
      await this.#upload.abort(true);
    } catch (error) {
      // The server deletes unfinished uploads when they expire; nothing is left for long.
      logRequestFailure('lectern-uploader: cancelling', apiErrorOf(error));
    }
    for (const entry of await this.#previousUploads()) {
      await this.#store.removeUpload(entry.urlStorageKey);
    }
  }

  async #previousUploads(): Promise<RememberedUpload[]> {
    try {
      const found: RememberedUpload[] = await this.#upload.findPreviousUploads();
      return found.toSorted((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime));
    } catch {
      // Without the list (no storage, no token yet) the upload starts afresh.
      return [];
    }
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
      fingerprint: (async () => {
        const user = subjectOf(await currentToken(this.#options.token()));
        return fingerprintOf(file, endpoint, user);
      }) as UploadOptions['fingerprint'],
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

    void this.#upload.abort(false);
    this.#listener.failed(
      new LecternApiError({
        code: uploaderErrorCodes.noProgress,
        status: 0,
        message: `The server answered ${idleAnswersAllowed} times in a row without taking a byte.`,
      }),
    );
  }
}
