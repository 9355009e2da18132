import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LecternError } from '../../http/errors.ts';
import type { SessionSigner } from '../../identity/sessions.ts';

/** How long a playback token opens a video's playlists and keys. */
export const playbackTokenSeconds = 15 * 60;

const playbackAudience = 'lectern:playback';

/** Who may watch what, until when: the claims of a verified playback token. */
export interface PlaybackGrant {
  userId: string;
  tenantId: string;
  videoId: string;
  expiresAt: Date;
}

// Longer than any token this server signs; refused before any parsing.
const tokenShape = /^[A-Za-z0-9_-]{10,200}\.[A-Za-z0-9_-]{10,400}\.[A-Za-z0-9_-]{43}$/;

/**
 * A key of its own, derived from the session secret with HKDF: a playback token can never
 * pass as a session token (nor the reverse), even if an audience check were forgotten.
 */
export function playbackKey(signer: SessionSigner): KeyObject {
  const derived = hkdfSync(
    'sha256',
    signer.key.export(),
    Buffer.alloc(0),
    'lectern playback token v1',
    32,
  );
  return createSecretKey(Buffer.from(derived));
}

export function issuePlaybackToken(
  key: KeyObject,
  issuer: string,
  grant: Omit<PlaybackGrant, 'expiresAt'>,
): { token: string; expiresAt: Date } {
  const expiresAt = new Date((Math.floor(Date.now() / 1000) + playbackTokenSeconds) * 1000);
  // No iat and short claim names: the token sits in every playlist line and URL.
  const token = jwt.sign({ sub: grant.userId, tid: grant.tenantId, vid: grant.videoId }, key, {
    algorithm: 'HS256',
    audience: playbackAudience,
    issuer,
    noTimestamp: true,
    expiresIn: playbackTokenSeconds,
  });
  return { token, expiresAt };
}

/** The grant inside a token; `playback.token_expired` or `playback.token_invalid` otherwise. */
export function verifyPlaybackToken(key: KeyObject, issuer: string, token: string): PlaybackGrant {
  if (!tokenShape.test(token)) throw new LecternError('playback.token_invalid');
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, key, {
      algorithms: ['HS256'],
      audience: playbackAudience,
      issuer,
    }) as jwt.JwtPayload;
  } catch (error) {
    throw new LecternError(
      error instanceof jwt.TokenExpiredError ? 'playback.token_expired' : 'playback.token_invalid',
    );
  }
  const { sub, tid, vid, exp } = claims;
  if (
    typeof sub !== 'string' ||
    typeof tid !== 'string' ||
    typeof vid !== 'string' ||
    typeof exp !== 'number'
  ) {
    throw new LecternError('playback.token_invalid');
  }
  return { userId: sub, tenantId: tid, videoId: vid, expiresAt: new Date(exp * 1000) };
}
