import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../http/app-context.ts';
import { authenticate, authorize } from '../http/auth.ts';
import { principalOf } from '../http/context.ts';
import { validate } from '../http/validation.ts';
import { dataLocation } from './location.ts';
import { terminateTenant } from './termination/terminate-tenant.ts';

const terminateBody = z.strictObject({
  /** The tenant's name, typed by the admin: the last guard against a slip. */
  confirm: z.string().min(1).max(500),
});

/** The tenant's lifecycle over the API: where its data lives, and termination. */
export function lifecycleRoutes(context: AppContext): Router {
  const router = Router();
  const signedIn = authenticate(context.db, context.signer);

  router.get(
    '/tenant/data-location',
    signedIn,
    authorize('tenant.manage'),
    (_request: Request, response: Response) => {
      response.json(dataLocation(context.config, context.media));
    },
  );
  router.post(
    '/tenant/terminate',
    signedIn,
    authorize('tenant.terminate'),
    validate({ body: terminateBody }),
    terminate(context),
  );
  return router;
}

function terminate(context: AppContext) {
  return async (request: Request, response: Response) => {
    const { tenantId } = principalOf(request);
    request.log.warn({ event: 'tenant.termination_requested', tenantId });
    const receipt = await terminateTenant(
      context.db,
      context.media,
      { tenantId, confirm: request.body.confirm, requestedBy: 'tenant_admin' },
      { log: request.log },
    );
    response.status(receipt.status === 'completed' ? 200 : 202).json({ receipt });
  };
}
