import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { isRole, type Role } from '../roles.js';

/** The server refuses embed tokens that live longer than this. */
export const maxEmbedTokenLifetimeSeconds = 600;
const maxSubjectLength = 200;

interface EmbedTokenBase {
  /** The embed key's id, as Lectern showed it when the key was created; sent as `kid`. */
  keyId: string;
  /** The Lectern server's public URL, exactly as the server knows it; sent as `aud`. */
  audience: string;
  /** The intranet's own id for the user (at most 200 characters); sent as `sub`. */
  subject: string;
  roles: readonly Role[];
  /**
   * The person's name (at most 200 characters), shown to trainers in the results of quizzes
   * that are not anonymous; leave it out and they see `subject` instead.
   */
  name?: string;
  /** Seconds until the token expires: 300 unless given, at most 600. */
  ttlSeconds?: number;
}

export type EmbedTokenOptions = EmbedTokenBase &
  (
    | { algorithm: 'HS256'; secret: string | Uint8Array }
    | { algorithm: 'RS256' | 'ES256'; privateKey: string | KeyObject }
  );

/**
 * Signs an embed token for the intranet's backend to hand to a page, which exchanges it for
 * a session. Throws a TypeError or RangeError before signing anything the server would refuse.
 */
export function createEmbedToken(options: EmbedTokenOptions): string {
  const { keyId, audience, subject, roles, name, ttlSeconds = 300 } = options;

  if (typeof keyId !== 'string' || keyId.length === 0) {
    throw new TypeError('keyId must be the id of an embed key registered with Lectern.');
  }
  if (typeof audience !== 'string' || !URL.canParse(audience)) {
    throw new TypeError("audience must be the Lectern server's public URL.");
  }
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > maxSubjectLength) {
    throw new TypeError(`subject must be the user's id: 1 to ${maxSubjectLength} characters.`);
  }
  if (!Array.isArray(roles)) throw new TypeError('roles must be an array of role names.');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new TypeError(`Unknown roles: ${unknown.join(', ')}.`);
  if (
    !Number.isInteger(ttlSeconds) ||
    ttlSeconds < 1 ||
    ttlSeconds > maxEmbedTokenLifetimeSeconds
  ) {
    throw new RangeError(
      `ttlSeconds must be a whole number from 1 to ${maxEmbedTokenLifetimeSeconds}.`,
    );
  }

  if (name !== undefined && (typeof name !== 'string' || !name.trim() || name.length > 200)) {
    throw new TypeError("name must be the person's name: 1 to 200 characters.");
  }

  const claims = { roles: [...new Set(roles)], ...(name === undefined ? {} : { name }) };
  return jwt.sign(claims, signingKey(options), {
    algorithm: options.algorithm,
    keyid: keyId,
    audience,
    subject,
    expiresIn: ttlSeconds,
  });
}

function signingKey(options: EmbedTokenOptions): jwt.Secret {
  switch (options.algorithm) {
    case 'HS256':
      if (!options.secret || options.secret.length === 0) {
        throw new TypeError('HS256 needs the secret Lectern showed when the key was created.');
      }
      return typeof options.secret === 'string' ? options.secret : Buffer.from(options.secret);
    case 'RS256':
    case 'ES256':
      if (!options.privateKey) {
        throw new TypeError(`${options.algorithm} needs the private key of the registered pair.`);
      }
      return options.privateKey;
    default:
      throw new TypeError('algorithm must be HS256, RS256 or ES256.');
  }
}
