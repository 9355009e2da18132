import { Router, type Request, type Response } from 'express';
import { authenticate, authorize } from '../http/auth.ts';
import type { AppContext } from '../http/app-context.ts';
import { actorOf, principalOf } from '../http/context.ts';
import { createRegistrationToken, listPlatforms } from './platforms.ts';

/** A tenant admin's side of LTI: registration URLs for an LMS, and the platforms registered. */
export function ltiApiRoutes(context: AppContext): Router {
  const router = Router();
  const admin = [authenticate(context.db, context.signer), authorize('tenant.manage')];

  router.post('/lti/registrations', admin, createRegistrationUrl(context));
  router.get('/lti/platforms', admin, listTenantPlatforms(context));
  return router;
}

function createRegistrationUrl(context: AppContext) {
  return async (request: Request, response: Response) => {
    const tenantId = principalOf(request).tenantId;
    const { token, expiresAt } = await createRegistrationToken(
      context.db,
      tenantId,
      actorOf(request),
    );
    // The URL to paste into the LMS ("Tool URL" in Moodle's "Manage tools"); it works once.
    response.status(201).json({
      url: `${context.signer.issuer}/lti/register?token=${token}`,
      expiresAt: expiresAt.toISOString(),
    });
  };
}

function listTenantPlatforms(context: AppContext) {
  return async (request: Request, response: Response) => {
    const platforms = await listPlatforms(context.db, principalOf(request).tenantId);
    response.json({
      platforms: platforms.map((platform) => ({
        id: platform.id,
        issuer: platform.issuer,
        clientId: platform.clientId,
        deploymentIds: platform.deploymentIds,
        product: platform.product,
        roleMapping: platform.roleMapping,
      })),
    });
  };
}
