import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../http/app-context.ts';
import { LecternError } from '../http/errors.ts';
import { listSecurityChecks } from './security-check.ts';

/**
 * The security check's results for the operator. The check is about the whole instance (its
 * configuration, its dependencies, every tenant's isolation), so no tenant's admin sees it:
 * the caller sends the operator token (LECTERN_OPERATOR_TOKEN). Without one configured, the
 * results are in the CLI only (`lectern audit --list`).
 */
export function securityCheckRoutes(context: AppContext): Router {
  const router = Router();
  router.get(
    '/admin/security-checks',
    operatorOnly(context.config.operatorToken),
    async (_request: Request, response: Response) => {
      const runs = await listSecurityChecks(context.db, 10);
      response.set('Cache-Control', 'no-store').json({ securityChecks: runs });
    },
  );
  return router;
}

function operatorOnly(token: string | undefined) {
  const expected = token ? digest(token) : undefined;
  return (request: Request, _response: Response, next: NextFunction) => {
    const match = /^Bearer ([^\s]{1,4096})$/.exec(request.get('authorization') ?? '');
    // Compared as hashes: equal lengths, constant time, whatever was sent.
    if (!expected || !match || !timingSafeEqual(digest(match[1] as string), expected)) {
      throw new LecternError('operator.unauthorized');
    }
    next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
