import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { apiKeyPrefix, authenticateApiKey } from '../identity/api-keys.ts';
import { may, type Permission } from '../identity/policy.ts';
import { authenticateSession, type SessionSigner } from '../identity/sessions.ts';
import { principalOf } from './context.ts';
import { LecternError } from './errors.ts';

/** Accepts a session token or a tenant API key as a Bearer header; nothing else. */
export function authenticate(db: Knex, signer: SessionSigner): RequestHandler {
  return async (request: Request, _response: Response, next: NextFunction) => {
    const header = request.get('authorization');
    const match = header ? /^Bearer ([^\s]{1,4096})$/.exec(header) : null;
    if (!match) throw new LecternError('auth.missing');

    const credential = match[1] as string;
    request.principal = credential.startsWith(apiKeyPrefix)
      ? await authenticateApiKey(db, credential)
      : await authenticateSession(db, signer, credential);
    next();
  };
}

/** Lets the request through only when the policy grants the permission. */
export function authorize(permission: Permission): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    if (!may(principalOf(request), permission)) throw new LecternError('permission.denied');
    next();
  };
}
