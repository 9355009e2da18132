import { LecternApiError, clientErrorCodes } from '@lectern/sdk';
import type { DetailedError, HttpResponse } from 'tus-js-client';

/** Codes the uploader gives itself, when no answer of the server explains a failure. */
export const uploaderErrorCodes = {
  /** `base-url` or `token` is missing. */
  notConfigured: 'uploader.not_configured',
  /** The tus client (`chunks/tus-client.js` of the script-tag build) could not be loaded. */
  loadFailed: 'uploader.load_failed',
  /** The browser could not read the file (moved, changed, or shorter than announced). */
  fileUnreadable: 'upload.file_unreadable',
  /** The server answered several times in a row without taking a single byte. */
  noProgress: 'upload.no_progress',
} as const;

// 409 and 423 mean "another request was writing": after a HEAD the upload goes on.
const retryableCodes = new Set(['upload.offset_mismatch', 'upload.conflict', 'upload.locked']);
const retryableWithoutAnswer = new Set<string>([
  clientErrorCodes.networkFailed,
  uploaderErrorCodes.loadFailed,
]);

/**
 * Thrown from `onAfterResponse` when a HEAD is refused for want of a valid session, so that
 * tus-js-client reports the refusal instead of forgetting the upload and starting a new one.
 */
export class ResumeRefused extends Error {
  override readonly name = 'ResumeRefused';
  readonly response: HttpResponse;

  constructor(response: HttpResponse) {
    super(`HEAD answered ${response.getStatus()}`);
    this.response = response;
  }
}

/**
 * What a failure of tus-js-client means, as the SDK's error type: the server's code, sentence
 * and request id when it answered with Lectern's JSON error body, a client code otherwise.
 */
export function apiErrorOf(error: unknown): LecternApiError {
  if (error instanceof LecternApiError) return error;
  if (!isDetailedError(error)) {
    return new LecternApiError(
      { code: uploaderErrorCodes.fileUnreadable, status: 0, message: String(error) },
      { cause: error },
    );
  }

  const response =
    error.originalResponse ??
    (error.causingError instanceof ResumeRefused ? error.causingError.response : null);
  const status = response?.getStatus() ?? 0;
  if (!response || status === 0) {
    return new LecternApiError(
      { code: clientErrorCodes.networkFailed, status: 0, message: error.message },
      { cause: error },
    );
  }

  const body = errorBodyOf(response);
  const requestId = body?.requestId ?? response.getHeader('X-Request-Id') ?? undefined;
  if (body) {
    return new LecternApiError({ code: body.code, status, message: body.message, requestId });
  }
  return new LecternApiError({
    code: clientErrorCodes.responseInvalid,
    status,
    message: `The upload endpoint answered HTTP ${status} without Lectern's error body.`,
    requestId,
  });
}

/**
 * Whether trying again can help: the network (a request, or loading the tus client), the
 * server's own trouble (5xx), a concurrent writer (409, 423), or an expired session when the
 * page hands out fresh tokens.
 */
export function isRetryable(error: LecternApiError, canRefreshToken: boolean): boolean {
  if (error.status === 0) return retryableWithoutAnswer.has(error.code);
  if (error.status >= 500) return true;
  if (retryableCodes.has(error.code)) return true;
  return error.code === 'auth.expired' && canRefreshToken;
}

function isDetailedError(error: unknown): error is DetailedError {
  return error instanceof Error && 'originalRequest' in error;
}

interface ErrorBody {
  code: string;
  message: string;
  requestId?: string;
}

/** The `error` of Lectern's `{ error: { code, message, requestId } }` body, if that is what came. */
function errorBodyOf(response: HttpResponse): ErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.getBody());
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return undefined;
  const error = parsed.error as Partial<ErrorBody> | null;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') return undefined;
  const requestId = typeof error.requestId === 'string' ? error.requestId : undefined;
  return { code: error.code, message: error.message, requestId };
}
