import {
  clientErrorCodes,
  logRequestFailure,
  logger,
  type LecternApiError,
  type MessageValues,
  type Translator,
} from '@lectern/sdk';
import type { FileProblem } from './file-checks.js';
import { errorMessageKey, type MessageKey } from './messages.js';
import { formatBytes } from './sizes.js';
import { isRetryable, uploaderErrorCodes } from './upload-error.js';

/** A sentence for the status region, translated when it is shown. */
export interface Notice {
  key: MessageKey;
  values?: MessageValues;
}

// The server writes its sentences in English; for other languages the catalogs translate.
const serverLanguage = 'en';

/** A failure as the person sees it and as whoever runs the page finds it in the console. */
export class UploadFailure {
  readonly code: string;
  /** Trying again from the server's offset may succeed. */
  readonly retryable: boolean;
  readonly #key: MessageKey | undefined;
  readonly #values: (lang: string) => MessageValues;
  readonly #serverMessage: string | undefined;
  readonly #apiError: LecternApiError | undefined;

  private constructor(init: {
    code: string;
    retryable: boolean;
    key: MessageKey | undefined;
    values: (lang: string) => MessageValues;
    apiError?: LecternApiError;
    serverMessage?: string;
  }) {
    this.code = init.code;
    this.retryable = init.retryable;
    this.#key = init.key;
    this.#values = init.values;
    this.#apiError = init.apiError;
    this.#serverMessage = init.serverMessage;
  }

  /** A refusal of the server, or a request that never got an answer. */
  static fromApiError(error: LecternApiError, file: File): UploadFailure {
    const fromServer = error.status > 0 && error.code !== clientErrorCodes.responseInvalid;
    return new UploadFailure({
      code: error.code,
      retryable: isRetryable(error, true),
      key: errorMessageKey(error.code),
      values: () => ({ name: file.name, status: String(error.status), code: error.code }),
      apiError: error,
      serverMessage: fromServer ? error.message : undefined,
    });
  }

  /** A file refused in the browser, before any request. */
  static fromProblem(problem: FileProblem, file: File): UploadFailure {
    const name = file.name;
    const init = { code: problem.code, retryable: false };
    switch (problem.code) {
      case 'upload.empty':
        return new UploadFailure({ ...init, key: 'check.empty', values: () => ({ name }) });
      case 'upload.too_large': {
        const values = (lang: string) => ({
          name,
          size: formatBytes(file.size, lang),
          max: formatBytes(problem.maxSize, lang),
        });
        return new UploadFailure({ ...init, key: 'check.too_large', values });
      }
      case 'upload.not_video': {
        const values = () => ({ name, accept: problem.accept });
        return new UploadFailure({ ...init, key: 'check.type', values });
      }
    }
  }

  /** `base-url` or `token` is missing: a mistake of the page, not of the person. */
  static notConfigured(file: File): UploadFailure {
    const code = uploaderErrorCodes.notConfigured;
    const values = () => ({ name: file.name });
    return new UploadFailure({ code, retryable: false, key: errorMessageKey(code), values });
  }

  /**
   * The sentence to show: the server's own words when it writes the reader's language or
   * the catalogs have none for its code, the catalogs' sentence otherwise.
   */
  text(t: Translator<MessageKey>): string {
    const useServer = this.#serverMessage && (t.catalog === serverLanguage || !this.#key);
    if (this.#serverMessage && useServer) return this.#serverMessage;
    return t(this.#key ?? 'error.unknown', this.#values(t.lang));
  }

  /** Logs the code (never the file name or a token) with the `lectern:` prefix. */
  log(): void {
    if (this.#apiError) logRequestFailure('lectern-uploader', this.#apiError);
    else logger.warn(`lectern-uploader: ${this.code} (refused in the browser)`);
  }
}
