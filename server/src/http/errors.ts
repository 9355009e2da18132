/**
 * Every error a client can see, with its HTTP status and a sentence a person can act on.
 * docs/errors.md lists each code; a test keeps the two in step.
 */
export const errorCatalog = {
  'request.malformed_json': [400, 'The request body is not valid JSON.'],
  'request.invalid': [400, 'The request does not match what this endpoint accepts.'],
  'request.body_too_large': [413, 'The request body is larger than this server accepts.'],
  'request.unsupported_media_type': [415, 'Send the request body as application/json.'],
  'route.not_found': [404, 'There is no such endpoint.'],
  'auth.missing': [401, 'Sign in first: send a session token as a Bearer header.'],
  'auth.invalid': [401, 'The session token is not valid; start a new session.'],
  'auth.expired': [401, 'The session has expired; start a new session.'],
  'api_key.invalid': [401, 'The API key is unknown or has been revoked.'],
  'embed_token.malformed': [401, 'The embed token is not a well-formed JWT.'],
  'embed_token.too_large': [401, 'The embed token is longer than any valid one.'],
  'embed_token.unknown_key': [401, 'The embed token names a key (kid) that is unknown or revoked.'],
  'embed_token.algorithm': [
    401,
    "The embed token's algorithm is not the one registered for its key.",
  ],
  'embed_token.signature': [401, "The embed token's signature does not verify with its key."],
  'embed_token.audience': [401, 'The embed token is meant for another audience (aud).'],
  'embed_token.expired': [401, 'The embed token has expired; mint a new one.'],
  'embed_token.not_yet_valid': [401, 'The embed token is not valid yet (iat or nbf lies ahead).'],
  'embed_token.lifetime': [
    401,
    'The embed token must carry iat and exp at most 600 seconds apart.',
  ],
  'embed_token.claims': [401, 'The embed token lacks a valid subject (sub) or roles claim.'],
  'permission.denied': [403, 'You do not have the right to do this.'],
  'resource.not_found': [404, 'There is no such item, or it is not yours to see.'],
  'tenant.slug_taken': [409, 'A tenant with this slug exists already.'],
  'policy.fixed': [409, 'This permission is fixed and cannot be given to other roles.'],
  'termination.not_confirmed': [
    400,
    "Type the organisation's name exactly as it is shown to confirm the termination.",
  ],
  'video.wrong_state': [409, 'The video is not in a state that allows this; reload it.'],
  'review.comment_required': [400, 'Say why when you turn a video down: the author needs it.'],
  'quiz.invalid': [400, 'A question or setting of the quiz does not fit; the details say which.'],
  'quiz.unknown_question': [400, 'The answer names a question this quiz does not have.'],
  'quiz.answer_invalid': [400, "The answer does not fit its question's type or options."],
  'quiz.exists': [409, 'This video has a quiz already; edit that one.'],
  'quiz.attempts_exhausted': [409, 'You have used every attempt this quiz allows.'],
  'quiz.attempt_closed': [
    409,
    'This attempt was submitted already; start a new one if any is left.',
  ],
  'quiz.locked': [409, 'People have started this quiz: its questions can no longer change.'],
  'quiz.anonymity_locked': [
    409,
    'People have taken this quiz anonymously: anonymity cannot be switched off.',
  ],
  'upload.invalid': [400, 'The upload request does not follow the tus protocol.'],
  'upload.length_required': [
    400,
    'Say how large the file is (Upload-Length) when the upload starts.',
  ],
  'upload.empty': [400, 'The file is empty.'],
  'upload.metadata_invalid': [
    400,
    "The upload's title or file name is missing, too long or malformed.",
  ],
  'upload.too_large': [413, 'The file is larger than this organisation allows for one video.'],
  'upload.quota_exceeded': [413, "The upload would exceed the organisation's storage quota."],
  'upload.not_video': [415, 'The file is not a video Lectern can read.'],
  'upload.offset_mismatch': [
    409,
    'The upload continues from another offset; ask for it (HEAD) and resume.',
  ],
  'upload.conflict': [409, 'Another request is writing this upload; resume from its offset.'],
  'upload.data_changed': [409, 'The bytes sent differ from the ones sent before at this offset.'],
  'upload.locked': [423, 'Another request is writing this upload; try again shortly.'],
  'upload.expired': [410, 'The upload expired; start it again.'],
  'track.invalid_webvtt': [400, 'The WebVTT file is not valid.'],
  'track.too_many': [409, 'The video has as many caption and chapter files as it may have.'],
  'playback.not_ready': [
    409,
    'The video is not ready to play yet; try again once it is processed.',
  ],
  'playback.token_invalid': [401, 'The playback link is not valid; reload the player.'],
  'playback.token_expired': [401, 'The playback link has expired; reload the player.'],
  'playback.revoked': [403, 'You may no longer watch this video.'],
  'lti.unknown_platform': [
    400,
    'This LMS is not registered with Lectern (issuer and client id); ask your Lectern admin.',
  ],
  'lti.unknown_deployment': [
    400,
    'The launch names a deployment this LMS never registered with Lectern.',
  ],
  'lti.state_invalid': [
    400,
    'The sign-in from the LMS is unknown, used or expired; open the activity again.',
  ],
  'lti.state_mismatch': [400, 'The sign-in came back to another browser; open the activity again.'],
  'lti.token_malformed': [400, "The LMS's id_token is not a well-formed JWT."],
  'lti.token_too_large': [400, "The LMS's id_token is longer than any valid one."],
  'lti.token_algorithm': [400, "The LMS's id_token is not signed with RS256."],
  'lti.token_signature': [
    400,
    "The LMS's id_token does not verify with any of the platform's published keys.",
  ],
  'lti.token_issuer': [400, "The LMS's id_token comes from another issuer than its sign-in."],
  'lti.token_audience': [400, "The LMS's id_token is meant for another tool (aud or azp)."],
  'lti.token_expired': [400, "The LMS's id_token has expired; open the activity again."],
  'lti.token_not_yet_valid': [
    400,
    "The LMS's id_token is issued in the future; check the LMS server's clock.",
  ],
  'lti.token_claims': [400, "The LMS's id_token lacks a claim LTI 1.3 requires."],
  'lti.nonce_invalid': [400, "The LMS's id_token does not answer this sign-in (nonce)."],
  'lti.message_type': [400, 'Lectern handles resource-link and deep-linking launches only.'],
  'lti.version': [400, 'Lectern speaks LTI 1.3 (version 1.3.0) only.'],
  'lti.platform_unreachable': [
    502,
    "The LMS's key set could not be read; try again, or ask the LMS's admin.",
  ],
  'lti.platform_exists': [409, 'This LMS (issuer and client id) is registered already.'],
  'lti.registration_invalid': [
    400,
    'The registration link is unknown, used or expired; ask your Lectern admin for a new one.',
  ],
  'lti.registration_failed': [
    400,
    "The LMS's registration answer could not be used; check the URL and try again.",
  ],
  'lti.no_grade_service': [
    409,
    'The LMS offered no gradebook column for this placement; add one in the LMS first.',
  ],
  'lti.no_roster_service': [409, 'The LMS offered no course roster for this placement.'],
  'lti.service_failed': [
    502,
    "The LMS's grade or roster service refused or failed; try again, or ask the LMS's admin.",
  ],
  'lti.deep_link_expired': [
    400,
    'The choice took too long or comes from another session; open the selection again.',
  ],
  'export.not_ready': [409, 'The export is still being built; ask for its status and try again.'],
  'export.failed': [409, 'The export could not be built; request a new one.'],
  'export.expired': [410, 'The export has expired and its archive is gone; request a new one.'],
  'export.range_not_satisfiable': [
    416,
    'The byte range lies outside the archive; ask for bytes within its size.',
  ],
  'operator.unauthorized': [
    401,
    'Send the operator token (LECTERN_OPERATOR_TOKEN) as a Bearer header.',
  ],
  'server.not_ready': [503, 'The server is starting or shutting down; try again shortly.'],
  'server.internal': [500, 'Something went wrong on the server; the request id helps find it.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof errorCatalog;

/** The one error type the server throws on purpose: a stable code, a status and a sentence. */
export class LecternError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, options: { message?: string; details?: unknown } = {}) {
    const [status, message] = errorCatalog[code];
    super(options.message ?? message);
    this.name = 'LecternError';
    this.code = code;
    this.status = status;
    this.details = options.details;
  }
}

export function isLecternError(value: unknown): value is LecternError {
  return value instanceof LecternError;
}
