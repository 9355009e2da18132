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
import type {
  LearnerAnswer,
  LearnerQuiz,
  QuizAttempt,
  QuizDefinition,
  QuizInput,
  QuizList,
  QuizResults,
  QuizSubmission,
  SavedAnswer,
  SubmitInput,
} from './quizzes.js';
import type { ExportDownload, ExportDownloadOptions, ExportList, TenantExport } from './exports.js';
import { Transport, type Method, type RequestOptions, type TokenSource } from './transport.js';

export type { TokenSource } from './transport.js';

export interface LecternClientOptions {
  /** The Lectern server's public URL, for example `https://lectern.example.com`. */
  baseUrl: string | URL;
  /** Sent as `Authorization: Bearer …`; not needed for `createSession`. */
  token?: TokenSource;
  /** Replaces the global `fetch`, for example to add tracing or run in an older runtime. */
  fetch?: typeof fetch;
}

/** Typed access to the Lectern API, in browsers and in Node.js alike. */
export class LecternClient {
  readonly baseUrl: string;
  readonly #transport: Transport;

  constructor(options: LecternClientOptions) {
    this.baseUrl = new URL(options.baseUrl).href.replace(/\/+$/, '');
    this.#transport = new Transport(this.baseUrl, options.token, options.fetch);
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

  /** Creates a quiz (on a video, with `videoId`); `quiz.exists` when the video has one. */
  createQuiz(input: QuizInput): Promise<QuizDefinition> {
    return this.#request('POST', '/quizzes', { body: input });
  }

  /** The quizzes of a video the caller may see. */
  listQuizzes(videoId: string): Promise<QuizList> {
    return this.#request('GET', `/quizzes?${new URLSearchParams({ video: videoId })}`);
  }

  /** A quiz as a learner sees it: no answers, with their attempts and grade so far. */
  getQuiz(quizId: string): Promise<LearnerQuiz> {
    return this.#request('GET', quizPath(quizId));
  }

  /** A quiz with its answers, for its owner or an admin. */
  getQuizDefinition(quizId: string): Promise<QuizDefinition> {
    return this.#request('GET', `${quizPath(quizId)}/definition`);
  }

  /**
   * Replaces a quiz's title, settings and questions (questions keep the ids sent back).
   * `quiz.locked` once attempts exist and the questions change; `quiz.anonymity_locked` for
   * switching anonymity off then.
   */
  replaceQuiz(quizId: string, input: Omit<QuizInput, 'videoId'>): Promise<QuizDefinition> {
    return this.#request('PUT', quizPath(quizId), { body: input });
  }

  deleteQuiz(quizId: string): Promise<void> {
    return this.#request('DELETE', quizPath(quizId));
  }

  /** The caller's open attempt, or a new one; `quiz.attempts_exhausted` when none is left. */
  startAttempt(quizId: string): Promise<QuizAttempt> {
    return this.#request('POST', `${quizPath(quizId)}/attempts`, { body: {} });
  }

  /** Saves an answer to one question of an open attempt, replacing an earlier one. */
  saveAnswer(
    quizId: string,
    attemptId: string,
    questionId: string,
    answer: LearnerAnswer,
  ): Promise<SavedAnswer> {
    const path = `${attemptPath(quizId, attemptId)}/answers/${encodeURIComponent(questionId)}`;
    return this.#request('PUT', path, { body: { answer } });
  }

  /** Grades and closes an attempt, saving `answers` first; `quiz.attempt_closed` the second time. */
  submitAttempt(
    quizId: string,
    attemptId: string,
    input: SubmitInput = {},
  ): Promise<QuizSubmission> {
    return this.#request('POST', `${attemptPath(quizId, attemptId)}/submit`, { body: input });
  }

  /** Participants and question statistics (trainers only, by the fixed `quiz.results`). */
  getQuizResults(quizId: string): Promise<QuizResults> {
    return this.#request('GET', `${quizPath(quizId)}/results`);
  }

  /** The participants as CSV text (UTF-8), with the same columns as `getQuizResults`. */
  getQuizResultsCsv(quizId: string): Promise<string> {
    return this.#request('GET', `${quizPath(quizId)}/results.csv`, { as: 'text' });
  }

  /**
   * Asks for an export of everything of the tenant (admins only); answers it queued, or the
   * one already queued or building. Follow it with `getExport` until it is `ready`.
   */
  requestExport(): Promise<TenantExport> {
    return this.#request('POST', '/tenant/exports', { body: {} });
  }

  /** One export of the tenant; another tenant's is `resource.not_found`. */
  getExport(exportId: string): Promise<TenantExport> {
    return this.#request('GET', exportPath(exportId));
  }

  /** The tenant's latest 20 exports, newest first. */
  listExports(): Promise<ExportList> {
    return this.#request('GET', '/tenant/exports');
  }

  /**
   * A ready export's archive as a stream, sent with the Bearer header (the download takes no
   * token in its URL). `from` resumes a download cut short. Before it is ready the answer is
   * `export.not_ready` (or `export.failed`); after its lifetime, `export.expired`.
   */
  async downloadExport(
    exportId: string,
    options: ExportDownloadOptions = {},
  ): Promise<ExportDownload> {
    const headers: Record<string, string> = { accept: 'application/zip, application/json' };
    if (options.from) headers.range = `bytes=${options.from}-`;
    if (options.from && options.ifRange) headers['if-range'] = options.ifRange;
    const response: Response = await this.#request('GET', `${exportPath(exportId)}/download`, {
      as: 'response',
      headers,
      signal: options.signal,
    });
    const partial = response.status === 206;
    const range = /^bytes (\d+)-\d+\/\d+$/.exec(response.headers.get('content-range') ?? '');
    return {
      status: partial ? 206 : 200,
      // Without an exposed Content-Range, a 206 starts where it was asked to.
      start: partial ? Number(range?.[1] ?? options.from ?? 0) : 0,
      length: Number(response.headers.get('content-length') ?? 0),
      etag: response.headers.get('etag'),
      filename: filenameOf(response.headers.get('content-disposition')),
      body: response.body ?? new Blob([]).stream(),
    };
  }

  #request<T>(method: Method, path: string, options?: RequestOptions): Promise<T> {
    return this.#transport.request(method, path, options);
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

function trackPath(videoId: string, kind: TrackKind, language: string): string {
  return `/videos/${encodeURIComponent(videoId)}/tracks/${kind}/${encodeURIComponent(language)}`;
}

function exportPath(exportId: string): string {
  return `/tenant/exports/${encodeURIComponent(exportId)}`;
}

/** The file name of `Content-Disposition: attachment; filename="…"`, when there is one. */
function filenameOf(disposition: string | null): string | null {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match?.[1] ?? null;
}

function quizPath(quizId: string): string {
  return `/quizzes/${encodeURIComponent(quizId)}`;
}

function attemptPath(quizId: string, attemptId: string): string {
  return `${quizPath(quizId)}/attempts/${encodeURIComponent(attemptId)}`;
}
