import type { LecternApiError, TokenSource, Translator } from '@lectern/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { checkFile } from './file-checks.js';
import type { MessageKey } from './messages.js';
import { UploadFailure, type Notice } from './notices.js';
import type { UploaderEventDetail, UploaderEventName } from './upload-events.js';
import { UploadSession, type UploadSessionListener } from './upload-session.js';
import { isBusy, type UploadState } from './uploader-view.js';

/** What the element's attributes and properties decide about an upload. */
export interface UploadSettings {
  baseUrl: string;
  token: TokenSource | undefined;
  accept: string;
  maxSize: number | undefined;
  videoTitle: string;
  chunkSize: number;
  retryDelays: readonly number[];
}

type Host = ReactiveControllerHost & HTMLElement & UploadSettings;

/**
 * The uploader's state machine: idle → uploading ⇄ paused | offline → complete | error.
 * It runs the upload session, follows the network, and tells the page through events.
 */
export class UploadController implements ReactiveController {
  state: UploadState = 'idle';
  file: File | undefined;
  bytes = { uploaded: 0, total: 0 };
  notice: Notice | undefined;
  failure: UploadFailure | undefined;
  /** The part to focus after the next render, when the focused control went away. */
  focusAfterUpdate: string | undefined;
  #session: UploadSession | undefined;
  readonly #host: Host;
  readonly #translator: () => Translator<MessageKey>;

  /** `translator` gives the element's current language, for the sentences events carry. */
  constructor(host: Host, translator: () => Translator<MessageKey>) {
    this.#host = host;
    this.#translator = translator;
    host.addController(this);
  }

  get session(): UploadSession | undefined {
    return this.#session;
  }

  hostConnected(): void {
    window.addEventListener('offline', this.#wentOffline);
    window.addEventListener('online', this.#cameOnline);
  }

  hostDisconnected(): void {
    window.removeEventListener('offline', this.#wentOffline);
    window.removeEventListener('online', this.#cameOnline);
  }

  async select(file: File): Promise<void> {
    if (isBusy(this.state)) {
      throw new Error('lectern-uploader: an upload is running; cancel it before choosing another.');
    }
    const host = this.#host;
    this.file = file;
    this.bytes = { uploaded: 0, total: 0 };
    this.#session = undefined;

    const problem = checkFile(file, { accept: host.accept, maxSize: host.maxSize });
    if (problem) return this.#fail(UploadFailure.fromProblem(problem, file));
    if (!host.baseUrl || !host.token) return this.#fail(UploadFailure.notConfigured(file));

    const session: UploadSession = new UploadSession(
      {
        file,
        endpoint: `${host.baseUrl.replace(/\/+$/, '')}/api/v1/uploads`,
        title: host.videoTitle.trim() || file.name.replace(/\.[^.]+$/, '') || file.name,
        token: () => host.token,
        retryDelays: host.retryDelays,
        chunkSize: host.chunkSize,
      },
      this.#listenerFor((): boolean => this.#session === session, file),
    );
    this.#session = session;
    this.bytes = { uploaded: 0, total: file.size };
    this.#moveTo(
      'uploading',
      { key: 'status.starting', values: { name: file.name } },
      'pause-button',
    );
    await session.start();
  }

  pause(reason: 'user' | 'offline'): void {
    const running = this.state === 'uploading' || (reason === 'user' && this.state === 'offline');
    if (!this.#session || !running) return;
    this.#session.pause();
    const next = reason === 'user' ? 'paused' : 'offline';
    this.#moveTo(next, { key: `status.${next}` }, reason === 'user' ? 'resume-button' : undefined);
    this.#emit('lectern-upload-pause', { reason });
  }

  resume(reason: 'user' | 'online'): void {
    const resumable = reason === 'online' ? ['offline'] : ['paused', 'offline', 'error'];
    if (!this.#session || !resumable.includes(this.state)) return;
    this.#session.resume();
    const name = this.#session.file.name;
    this.#moveTo('uploading', { key: 'status.uploading', values: { name } }, 'pause-button');
    this.#emit('lectern-upload-resume', { reason });
  }

  cancel(): void {
    const session = this.#session;
    if (!session || this.state === 'complete') return;
    this.#session = undefined;
    void session.cancel();
    this.bytes = { uploaded: 0, total: 0 };
    this.#moveTo(
      'idle',
      { key: 'status.cancelled', values: { name: session.file.name } },
      'button',
    );
    this.#emit('lectern-upload-cancel', { name: session.file.name });
  }

  #wentOffline = () => this.pause('offline');
  #cameOnline = () => this.resume('online');

  /** Changes state and, when the focused control goes away with it, names the next one. */
  #moveTo(next: UploadState, notice: Notice | undefined, focus?: string): void {
    this.state = next;
    this.notice = notice;
    if (next !== 'error') this.failure = undefined;
    if (focus && this.#host.shadowRoot?.activeElement) this.focusAfterUpdate = focus;
    this.#host.requestUpdate();
  }

  #fail(failure: UploadFailure): void {
    const canRetry = failure.retryable && this.#session !== undefined;
    this.#moveTo('error', undefined, canRetry ? 'resume-button' : 'button');
    this.failure = failure;
    failure.log();
    this.#emit('lectern-upload-error', {
      code: failure.code,
      message: failure.text(this.#translator()),
    });
  }

  /** Listens to one session; once it is cancelled or replaced, what it says is ignored. */
  #listenerFor(current: () => boolean, file: File): UploadSessionListener {
    const name = file.name;
    return {
      started: (resumed) => {
        if (!current()) return;
        if (this.state === 'uploading') {
          const key = resumed ? 'status.resuming' : 'status.uploading';
          this.#moveTo('uploading', { key, values: { name } });
        }
        this.#emit('lectern-upload-start', { name, size: file.size, resumed });
      },
      progress: (uploaded, total) => {
        if (!current()) return;
        this.bytes = { uploaded, total };
        if (this.notice?.key === 'status.retrying')
          this.notice = { key: 'status.uploading', values: { name } };
        this.#host.requestUpdate();
        this.#emit('lectern-upload-progress', { bytesUploaded: uploaded, bytesTotal: total });
      },
      retrying: (attempt, attempts) => {
        if (current())
          this.#moveTo(this.state, { key: 'status.retrying', values: { attempt, attempts } });
      },
      restarting: () => {
        if (current()) this.#moveTo(this.state, { key: 'status.restarting', values: { name } });
      },
      complete: (videoId) => {
        if (!current()) return;
        this.bytes = { uploaded: file.size, total: file.size };
        this.#moveTo('complete', { key: 'status.complete', values: { name } }, 'button');
        this.#emit('lectern-upload-complete', { videoId });
      },
      failed: (error: LecternApiError) => {
        if (!current()) return;
        if (navigator.onLine === false) {
          // No network: wait for the `online` event instead of failing.
          this.#moveTo('offline', { key: 'status.offline' });
          this.#emit('lectern-upload-pause', { reason: 'offline' });
          return;
        }
        this.#fail(UploadFailure.fromApiError(error, file));
      },
    };
  }

  #emit<K extends UploaderEventName>(type: K, detail: UploaderEventDetail<K>): void {
    this.#host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
