import { LecternApiError, clientErrorCodes, detailsOf, isErrorBody } from './errors.js';

/**
 * A session token or tenant API key, or a function that returns one. A function is asked
 * before every request, so it can hand out a fresh session when the last one has expired.
 */
export type TokenSource = string | (() => string | Promise<string>);

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  authenticated?: boolean;
  /** `text`: the body as it came (for CSV), instead of parsed JSON; `response`: unread. */
  as?: 'json' | 'text' | 'response';
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/**
 * How a request reaches `{baseUrl}/api/v1` and its answer comes back: the Bearer header,
 * JSON both ways, and every failure as a `LecternApiError` with a stable code.
 */
export class Transport {
  readonly #baseUrl: string;
  readonly #token: TokenSource | undefined;
  readonly #fetch: typeof fetch;

  constructor(baseUrl: string, token: TokenSource | undefined, fetcher: typeof fetch | undefined) {
    this.#baseUrl = baseUrl;
    this.#token = token;
    // Called unbound, window.fetch throws "Illegal invocation"; look it up at call time.
    this.#fetch = fetcher ?? ((input, init) => globalThis.fetch(input, init));
  }

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      accept: options.as === 'text' ? 'text/csv, application/json' : 'application/json',
      ...options.headers,
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.authenticated !== false) {
      const token = await this.#currentToken();
      if (token) headers.authorization = `Bearer ${token}`;
    }

    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}/api/v1${path}`, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
      });
    } catch (cause) {
      throw new LecternApiError(
        {
          code: clientErrorCodes.networkFailed,
          status: 0,
          message: `The Lectern server at ${this.#baseUrl} could not be reached.`,
        },
        { cause },
      );
    }

    if (response.status === 204) return undefined as T;
    if (options.as === 'text' && response.ok) return (await response.text()) as T;
    if (options.as === 'response' && response.ok) return response as T;
    const body = await readJson(response);
    if (response.ok && body !== undefined) return body as T;

    const requestId = response.headers.get('x-request-id') ?? undefined;
    if (isErrorBody(body)) {
      const { code, message } = body.error;
      const id = body.error.requestId ?? requestId;
      const details = detailsOf(body);
      throw new LecternApiError({ code, message, status: response.status, requestId: id, details });
    }
    throw new LecternApiError({
      code: clientErrorCodes.responseInvalid,
      status: response.status,
      message: `The Lectern server answered ${method} ${path} with HTTP ${response.status} and a body that is not the JSON expected.`,
      requestId,
    });
  }

  async #currentToken(): Promise<string | undefined> {
    const source = this.#token;
    return typeof source === 'function' ? await source() : source;
  }
}

/** The parsed body, or undefined when it is empty or not JSON. */
async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
