/** Codes the client itself gives when no error body from the server can be read. */
export const clientErrorCodes = {
  /** The request never got an answer: offline, DNS, CORS refusal, or a connection reset. */
  networkFailed: 'network.failed',
  /** An answer came, but its body is not the JSON this client expects. */
  responseInvalid: 'response.invalid',
} as const;

/**
 * A request the Lectern API refused or that never reached it. `code` is stable and worth
 * logging; `message` is a sentence a person can act on; `status` is 0 when no answer came.
 */
export class LecternApiError extends Error {
  override readonly name = 'LecternApiError';
  readonly code: string;
  readonly status: number;
  readonly requestId: string | undefined;
  /** What exactly was wrong, on `request.invalid`: one entry per problem. */
  readonly details: readonly ErrorDetail[];

  constructor(
    init: {
      code: string;
      status: number;
      message: string;
      requestId?: string | undefined;
      details?: readonly ErrorDetail[] | undefined;
    },
    options?: { cause?: unknown },
  ) {
    super(init.message, options);
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.details = init.details ?? [];
  }
}

/** One problem of a refused request: which part (`body`, `params`, `query`), where, and why. */
export interface ErrorDetail {
  where?: string;
  path?: string;
  message: string;
}

interface ErrorBody {
  error: { code: string; message: string; requestId?: string; details?: unknown };
}

/** The problems of an error body that are shaped as `ErrorDetail`; others are dropped. */
export function detailsOf(body: ErrorBody): ErrorDetail[] {
  const details = body.error.details;
  if (!Array.isArray(details)) return [];
  return details.filter(
    (detail): detail is ErrorDetail =>
      typeof detail === 'object' && detail !== null && typeof detail.message === 'string',
  );
}

/** True for the `{ error: { code, message, requestId } }` body every 4xx and 5xx carries. */
export function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = body.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}
