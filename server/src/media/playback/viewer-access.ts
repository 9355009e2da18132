import type { KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { LecternError } from '../../http/errors.ts';
import { may } from '../../identity/policy.ts';
import { findUser, userPrincipal } from '../../identity/users.ts';
import { findVideo, type Video } from '../library/videos.ts';
import { verifyPlaybackToken, type PlaybackGrant } from './playback-tokens.ts';

export interface PlaybackAccess {
  grant: PlaybackGrant;
  video: Video;
}

/**
 * Checks a playback token and then asks the policy again, with the user's roles and the
 * tenant's policy as they are now: a revoked role or a video taken back from publication
 * stops playback at the next request, not when the token expires.
 */
export async function currentAccess(
  db: Knex,
  key: KeyObject,
  issuer: string,
  token: string,
): Promise<PlaybackAccess> {
  const grant = verifyPlaybackToken(key, issuer, token);
  const user = await findUser(db, grant.tenantId, grant.userId);
  if (!user) throw new LecternError('playback.token_invalid');
  const video = await findVideo(db, grant.tenantId, grant.videoId);
  if (!video) throw new LecternError('resource.not_found');

  const principal = await userPrincipal(db, user);
  if (!may(principal, 'video.view', video)) throw new LecternError('playback.revoked');
  return { grant, video };
}

/**
 * The token's video without asking the policy again: enough for segments, which are
 * ciphertext that nobody can play without a key from `currentAccess`.
 */
export function tokenAccess(key: KeyObject, issuer: string, token: string): PlaybackGrant {
  return verifyPlaybackToken(key, issuer, token);
}
