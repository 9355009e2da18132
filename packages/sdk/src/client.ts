import { LecternApiError, clientErrorCodes, isErrorBody } from './errors.js';
import type {
  ApiKeyList,
  CreatedApiKey,
  CreatedPublicKeyEmbedKey,
  CreatedSharedSecretEmbedKey,
  EmbedKeyList,
  Policy,
  PolicyChange,
  PublicKeyEmbedKeyInput,
  Session,
  SessionInfo,
  SharedSecretEmbedKeyInput,
  Tenant,
  UserList,
  UserRoles,
} from './responses.js';
import type { Permission, Role } from './roles.js';
import type {
  Playback,
  ReviewDecision,
  TextTrackInput,
  TextTrackList,
  TextTrackView,
  TrackKind,
  ReviewQueue,
  TenantSettings,
  TenantSettingsPatch,
  VideoChanges,
  VideoDetails,
  VideoList,
  VideoListQuery,
  VideoView,
} from './videos.js';

/**
 * A session token or tenant API key, or a function that returns one. A function is asked
 * before every request, so it can hand out a fresh session when the last one has expired.
 */
export type TokenSource = string | (() => string | Promise<string>);

export interface LecternClientOptions {
  /** The Lectern server's public URL, for example `https://lectern.example.com`. */
  baseUrl: string | URL;
  /** Sent as `Authorization: Bearer …`; not needed for `createSession`. */
  token?: TokenSource;
  /** Replaces the global `fetch`, for example to add tracing or run in an older runtime. */
  fetch?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  authenticated?: boolean;
}

/** Typed access to the Lectern API, in browsers and in Node.js alike. */
export class LecternClient {
  readonly baseUrl: string;
  readonly #token: TokenSource | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: LecternClientOptions) {
    this.baseUrl = new URL(options.baseUrl).href.replace(/\/+$/, '');
    this.#token = options.token;
    // Called unbound, window.fetch throws "Illegal invocation"; look it up at call time.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Exchanges an embed token signed by the intranet's backend for a session. */
  createSession(embedToken: string): Promise<Session> {
    return this.#request('POST', '/sessions', {
      body: { token: embedToken },
      authenticated: false,
    });
  }

  getSession(): Promise<SessionInfo> {
    return this.#request('GET', '/session');
  }

  getTenant(): Promise<Tenant> {
    return this.#request('GET', '/tenant');
  }

  getPolicy(): Promise<Policy> {
    return this.#request('GET', '/tenant/policy');
  }

  /** Sets which roles hold a permission, replacing the roles that held it before. */
  setPolicy(permission: Permission, roles: readonly Role[]): Promise<PolicyChange> {
    return this.#request('PUT', `/tenant/policy/${encodeURIComponent(permission)}`, {
      body: { roles },
    });
  }

  listUsers(): Promise<UserList> {
    return this.#request('GET', '/users');
  }

  /** Replaces a user's roles. */
  setUserRoles(userId: string, roles: readonly Role[]): Promise<UserRoles> {
    return this.#request('PUT', `/users/${encodeURIComponent(userId)}/roles`, { body: { roles } });
  }

  listApiKeys(): Promise<ApiKeyList> {
    return this.#request('GET', '/api-keys');
  }

  /** Creates a tenant API key for server-to-server calls; keep `key`, it is shown once. */
  createApiKey(label: string): Promise<CreatedApiKey> {
    return this.#request('POST', '/api-keys', { body: { label } });
  }

  revokeApiKey(keyId: string): Promise<void> {
    return this.#request('DELETE', `/api-keys/${encodeURIComponent(keyId)}`);
  }

  listEmbedKeys(): Promise<EmbedKeyList> {
    return this.#request('GET', '/embed-keys');
  }

  /** Creates an embed key: a generated HS256 secret, or a public key the intranet holds. */
  createEmbedKey(input: SharedSecretEmbedKeyInput): Promise<CreatedSharedSecretEmbedKey>;
  createEmbedKey(input: PublicKeyEmbedKeyInput): Promise<CreatedPublicKeyEmbedKey>;
  createEmbedKey(
    input: SharedSecretEmbedKeyInput | PublicKeyEmbedKeyInput,
  ): Promise<CreatedSharedSecretEmbedKey | CreatedPublicKeyEmbedKey> {
    return this.#request('POST', '/embed-keys', { body: input });
  }

  revokeEmbedKey(keyId: string): Promise<void> {
    return this.#request('DELETE', `/embed-keys/${encodeURIComponent(keyId)}`);
  }

  /** A page of the videos the caller may see, newest first; pass `next` as `before` for more. */
  listVideos(query: VideoListQuery = {}): Promise<VideoList> {
    return this.#request('GET', `/videos${listQueryString(query)}`);
  }

  /** One video the caller may see; one they may not see is `resource.not_found`. */
  getVideo(videoId: string): Promise<VideoDetails> {
    return this.#request('GET', `/videos/${encodeURIComponent(videoId)}`);
  }

  /**
   * Where to stream a video from: an HLS master playlist whose URL carries a playback token,
   * valid until `expiresAt`. A video the caller may not see is `resource.not_found`; one still
   * being processed is `playback.not_ready`.
   */
  getPlayback(videoId: string): Promise<Playback> {
    return this.#request('GET', `/videos/${encodeURIComponent(videoId)}/playback`);
  }

  /** The captions, subtitles and chapters of a video the caller may see. */
  listTracks(videoId: string): Promise<TextTrackList> {
    return this.#request('GET', `/videos/${encodeURIComponent(videoId)}/tracks`);
  }

  /**
   * Adds or replaces a video's WebVTT file for a kind and language (its owner, or an admin).
   * A file players would show wrongly is `track.invalid_webvtt`, with the line to fix.
   */
  putTrack(
    videoId: string,
    kind: TrackKind,
    language: string,
    input: TextTrackInput,
  ): Promise<TextTrackView> {
    return this.#request('PUT', trackPath(videoId, kind, language), { body: input });
  }

  deleteTrack(videoId: string, kind: TrackKind, language: string): Promise<void> {
    return this.#request('DELETE', trackPath(videoId, kind, language));
  }

  /** Changes a video's title or description (its owner, or an admin). */
  updateVideo(videoId: string, changes: VideoChanges): Promise<VideoView> {
    return this.#request('PATCH', `/videos/${encodeURIComponent(videoId)}`, { body: changes });
  }

  /** Deletes a video with its stored objects (its owner, or an admin). */
  deleteVideo(videoId: string): Promise<void> {
    return this.#request('DELETE', `/videos/${encodeURIComponent(videoId)}`);
  }

  /** The videos waiting for the caller's review, oldest first (critics only). */
  getReviewQueue(): Promise<ReviewQueue> {
    return this.#request('GET', '/review-queue');
  }

  /** Approves or rejects a video in review; `video.wrong_state` when someone decided first. */
  reviewVideo(videoId: string, decision: ReviewDecision): Promise<VideoView> {
    return this.#request('POST', `/videos/${encodeURIComponent(videoId)}/review`, {
      body: decision,
    });
  }

  /** Sends a rejected video back to review (or out, when the tenant needs no review). */
  resubmitVideo(videoId: string): Promise<VideoView> {
    return this.#request('POST', `/videos/${encodeURIComponent(videoId)}/resubmit`);
  }

  getTenantSettings(): Promise<TenantSettings> {
    return this.#request('GET', '/tenant/settings');
  }

  /** Changes the parts of the tenant's settings given; returns all of them. */
  updateTenantSettings(patch: TenantSettingsPatch): Promise<TenantSettings> {
    return this.#request('PATCH', '/tenant/settings', { body: patch });
  }

  async #request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.authenticated !== false) {
      const token = await this.#currentToken();
      if (token) headers.authorization = `Bearer ${token}`;
    }

    let response: Response;
    try {
      response = await this.#fetch(`${this.baseUrl}/api/v1${path}`, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
      });
    } catch (cause) {
      throw new LecternApiError(
        {
          code: clientErrorCodes.networkFailed,
          status: 0,
          message: `The Lectern server at ${this.baseUrl} could not be reached.`,
        },
        { cause },
      );
    }

    if (response.status === 204) return undefined as T;
    const body = await readJson(response);
    if (response.ok && body !== undefined) return body as T;

    const requestId = response.headers.get('x-request-id') ?? undefined;
    if (isErrorBody(body)) {
      const { code, message } = body.error;
      const id = body.error.requestId ?? requestId;
      throw new LecternApiError({ code, message, status: response.status, requestId: id });
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

function listQueryString(query: VideoListQuery): string {
  const params = new URLSearchParams();
  if (query.state !== undefined) params.set('state', query.state);
  if (query.mine !== undefined) params.set('mine', String(query.mine));
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.before !== undefined) params.set('before', query.before);
  const text = params.toString();
  return text ? `?${text}` : '';
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

function trackPath(videoId: string, kind: TrackKind, language: string): string {
  return `/videos/${encodeURIComponent(videoId)}/tracks/${kind}/${encodeURIComponent(language)}`;
}
