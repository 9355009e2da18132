import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Knex } from 'knex';
import { z } from 'zod';
import { LecternError, type ErrorCode } from '../http/errors.ts';
import { findEmbedKey, type EmbedKey } from './embed-keys.ts';
import { roles, type Role } from './policy.ts';

/** No embed token is this long; refusing early keeps key lookups and crypto off garbage. */
export const maxEmbedTokenLength = 8192;
export const maxEmbedTokenLifetimeSeconds = 600;
const clockSkewSeconds = 30;

const claimsSchema = z.object({
  // PostgreSQL text cannot hold a NUL byte; refused here it is a claims error, not a 500.
  sub: z
    .string()
    .min(1)
    .max(200)
    .refine((sub) => !sub.includes('\0')),
  roles: z.array(z.enum(roles)).max(roles.length).default([]),
  // The person's name, shown to trainers in the results of quizzes that are not anonymous.
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((name) => !name.includes('\0'))
    .optional(),
  iat: z.number().int(),
  exp: z.number().int(),
});

export interface EmbedIdentity {
  tenantId: string;
  keyId: string;
  subject: string;
  roles: Role[];
  name: string | undefined;
}

/** Checks an embed token against the key it names, pinned to that key's one algorithm. */
export async function verifyEmbedToken(
  db: Knex,
  token: string,
  audience: string,
  now = Date.now(),
): Promise<EmbedIdentity> {
  if (token.length > maxEmbedTokenLength) throw new LecternError('embed_token.too_large');

  const decoded = decodeToken(token);
  if (!decoded || typeof decoded.payload === 'string') {
    throw new LecternError('embed_token.malformed');
  }
  const keyId = decoded.header.kid;
  // Key ids are base64url; anything else (a NUL byte, say) would fail in PostgreSQL, not here.
  if (typeof keyId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(keyId)) {
    throw new LecternError('embed_token.unknown_key');
  }
  const key = await findEmbedKey(db, keyId);
  if (!key) throw new LecternError('embed_token.unknown_key');
  // Refuses alg "none" and an HS256 token signed with a registered public key alike.
  if (decoded.header.alg !== key.algorithm) throw new LecternError('embed_token.algorithm');

  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(token, verificationKey(key), {
      algorithms: [key.algorithm],
      audience,
      clockTolerance: clockSkewSeconds,
      clockTimestamp: Math.floor(now / 1000),
    }) as jwt.JwtPayload;
  } catch (error) {
    throw new LecternError(verificationFailure(error));
  }

  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) {
    const timeMissing = claims.error.issues.some((issue) =>
      ['iat', 'exp'].includes(String(issue.path[0])),
    );
    throw new LecternError(timeMissing ? 'embed_token.lifetime' : 'embed_token.claims');
  }
  const { sub, iat, exp } = claims.data;
  if (iat > now / 1000 + clockSkewSeconds) throw new LecternError('embed_token.not_yet_valid');
  if (exp - iat > maxEmbedTokenLifetimeSeconds || exp <= iat) {
    throw new LecternError('embed_token.lifetime');
  }

  return {
    tenantId: key.tenantId,
    keyId,
    subject: sub,
    roles: [...new Set(claims.data.roles)],
    name: claims.data.name,
  };
}

/**
 * A key object, not a string: given a string, jsonwebtoken first tries to parse it as a PEM
 * key and pays for the thrown error on every call.
 */
function verificationKey(key: EmbedKey): KeyObject {
  return key.algorithm === 'HS256'
    ? createSecretKey(Buffer.from(key.material, 'utf8'))
    : createPublicKey(key.material);
}

/** jsonwebtoken throws, rather than answering null, when a `typ: JWT` payload is not JSON. */
function decodeToken(token: string): jwt.Jwt | null {
  try {
    return jwt.decode(token, { complete: true });
  } catch {
    return null;
  }
}

function verificationFailure(error: unknown): ErrorCode {
  if (error instanceof jwt.TokenExpiredError) return 'embed_token.expired';
  if (error instanceof jwt.NotBeforeError) return 'embed_token.not_yet_valid';
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('jwt audience invalid')) return 'embed_token.audience';
  if (message === 'invalid algorithm') return 'embed_token.algorithm';
  if (message === 'invalid signature') return 'embed_token.signature';
  return 'embed_token.malformed';
}
