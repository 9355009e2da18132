import type { Request } from 'express';
import type { Principal } from '../identity/policy.ts';
import { LecternError } from './errors.ts';
import type { Logger } from './logger.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the request-id middleware before anything else runs. */
    requestId: string;
    /** A child logger that stamps every line with the request id. */
    log: Logger;
    /** Set by `authenticate`; absent on public routes. */
    principal?: Principal & { expiresAt?: string };
  }
}

/** The authenticated principal; only call it behind `authenticate`. */
export function principalOf(request: Request): NonNullable<Request['principal']> {
  if (!request.principal) throw new LecternError('auth.missing');
  return request.principal;
}

/** How the audit log names whoever acts: an id, never a name. */
export function actorOf(request: Request): string {
  const principal = principalOf(request);
  return principal.kind === 'user' ? `user:${principal.id}` : `apikey:${principal.id}`;
}
