import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Knex } from 'knex';
import { LecternError } from '../http/errors.ts';
import { verifyEmbedToken } from './embed-tokens.ts';
import { permissionsOf, type Principal } from './policy.ts';
import { findUser, userPrincipal, signInExternalUser } from './users.ts';

/** What signs and checks session tokens; the audience keeps them apart from any other JWT. */
export interface SessionSigner {
  /** The session secret as a key object (see `sessionKey`). */
  key: KeyObject;
  issuer: string;
  ttlSeconds: number;
}

const sessionAudience = 'lectern:session';

/** jsonwebtoken handles a key object directly; a string it first tries, and fails, to parse as PEM. */
export function sessionKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

export interface Session {
  token: string;
  tokenType: 'Bearer';
  expiresAt: string;
  user: { id: string; tenantId: string; roles: string[] };
  permissions: string[];
}

/** Exchanges a verified embed token for a server-signed session token. */
export async function exchangeEmbedToken(
  db: Knex,
  signer: SessionSigner,
  embedToken: string,
): Promise<Session> {
  const identity = await verifyEmbedToken(db, embedToken, signer.issuer);
  const user = await signInExternalUser(db, {
    tenantId: identity.tenantId,
    source: 'embed',
    externalId: identity.subject,
    roles: identity.roles,
    displayName: identity.name,
  });
  const principal = await userPrincipal(db, user);
  return issueSession(signer, principal);
}

export function issueSession(signer: SessionSigner, principal: Principal): Session {
  const expiresAt = new Date(Date.now() + signer.ttlSeconds * 1000);
  const token = jwt.sign({ tid: principal.tenantId }, signer.key, {
    algorithm: 'HS256',
    audience: sessionAudience,
    issuer: signer.issuer,
    subject: principal.id,
    expiresIn: signer.ttlSeconds,
  });
  return {
    token,
    tokenType: 'Bearer',
    expiresAt: expiresAt.toISOString(),
    user: { id: principal.id, tenantId: principal.tenantId, roles: [...principal.roles] },
    permissions: permissionsOf(principal),
  };
}

/**
 * Checks a session token and loads the user's current roles and policy, so that a revoked
 * role or a changed policy applies to the next request, not the next session.
 */
export async function authenticateSession(
  db: Knex,
  signer: SessionSigner,
  token: string,
): Promise<Principal & { expiresAt: string }> {
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, signer.key, {
      algorithms: ['HS256'],
      audience: sessionAudience,
      issuer: signer.issuer,
    }) as jwt.JwtPayload;
  } catch (error) {
    throw new LecternError(
      error instanceof jwt.TokenExpiredError ? 'auth.expired' : 'auth.invalid',
    );
  }
  if (typeof claims.sub !== 'string' || typeof claims.tid !== 'string' || !claims.exp) {
    throw new LecternError('auth.invalid');
  }

  const user = await findUser(db, claims.tid, claims.sub);
  if (!user) throw new LecternError('auth.invalid');
  return {
    ...(await userPrincipal(db, user)),
    expiresAt: new Date(claims.exp * 1000).toISOString(),
  };
}
