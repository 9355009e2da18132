import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../http/app-context.ts';
import { authenticate, authorize } from '../http/auth.ts';
import { LecternError } from '../http/errors.ts';
import { listSecurityChecks } from './security-check.ts';

/**
 * The security check's results. The check is about the whole instance (its configuration, its
 * dependencies, every tenant's isolation), so its findings in full are for the operator, who
 * sends the operator token (LECTERN_OPERATOR_TOKEN; without one, the CLI's `lectern audit
 * --list` shows them). A tenant's admins see when the last check ran and how each check came
 * out, for their records, without the operator's reasons and details.
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
  router.get(
    '/tenant/security-check',
    authenticate(context.db, context.signer),
    authorize('tenant.manage'),
    async (_request: Request, response: Response) => {
      const [last] = (await listSecurityChecks(context.db, 5)).filter(
        (run) => run.state !== 'running',
      );
      response.set('Cache-Control', 'no-store').json({
        lastCheck: last
          ? {
              state: last.state,
              startedAt: last.startedAt,
              finishedAt: last.finishedAt,
              checks: last.findings.map(({ check, outcome }) => ({ check, outcome })),
            }
          : null,
      });
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
