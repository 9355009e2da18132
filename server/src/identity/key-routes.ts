import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { authenticate, authorize } from '../http/auth.ts';
import type { AppContext } from '../http/app-context.ts';
import { actorOf, principalOf } from '../http/context.ts';
import { validate } from '../http/validation.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
import { createEmbedKey, listEmbedKeys, revokeEmbedKey } from './embed-keys.ts';

const apiKeyBody = z.strictObject({ label: z.string().trim().min(1).max(100) });
const embedKeyBody = z.discriminatedUnion('algorithm', [
  z.strictObject({ algorithm: z.literal('HS256') }),
  z.strictObject({
    algorithm: z.enum(['RS256', 'ES256']),
    publicKey: z.string().min(1).max(8192),
  }),
]);
// Both kinds of key id are base64url.
const keyParams = z.object({ keyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** API keys and embed keys: how a tenant's own servers prove who they are. */
export function keyRoutes(context: AppContext): Router {
  const router = Router();
  // On each route, not router.use(): this router shares /api/v1 with others, and a use() would
  // answer every unknown path there with 401 instead of letting it fall through to 404.
  const admin = [authenticate(context.db, context.signer), authorize('tenant.manage')];

  router.get('/api-keys', admin, listTenantApiKeys(context));
  router.post('/api-keys', admin, validate({ body: apiKeyBody }), createTenantApiKey(context));
  router.delete(
    '/api-keys/:keyId',
    admin,
    validate({ params: keyParams }),
    revokeTenantApiKey(context),
  );
  router.get('/embed-keys', admin, listTenantEmbedKeys(context));
  router.post(
    '/embed-keys',
    admin,
    validate({ body: embedKeyBody }),
    createTenantEmbedKey(context),
  );
  router.delete(
    '/embed-keys/:keyId',
    admin,
    validate({ params: keyParams }),
    revokeTenantEmbedKey(context),
  );
  return router;
}

function listTenantApiKeys(context: AppContext) {
  return async (request: Request, response: Response) => {
    response.json({ apiKeys: await listApiKeys(context.db, principalOf(request).tenantId) });
  };
}

function createTenantApiKey(context: AppContext) {
  return async (request: Request, response: Response) => {
    const tenantId = principalOf(request).tenantId;
    const created = await createApiKey(context.db, tenantId, request.body.label, actorOf(request));
    response.status(201).json(created);
  };
}

function revokeTenantApiKey(context: AppContext) {
  return async (request: Request, response: Response) => {
    const tenantId = principalOf(request).tenantId;
    await revokeApiKey(context.db, tenantId, request.params.keyId as string, actorOf(request));
    response.status(204).end();
  };
}

function listTenantEmbedKeys(context: AppContext) {
  return async (request: Request, response: Response) => {
    response.json({ embedKeys: await listEmbedKeys(context.db, principalOf(request).tenantId) });
  };
}

function createTenantEmbedKey(context: AppContext) {
  return async (request: Request, response: Response) => {
    const tenantId = principalOf(request).tenantId;
    const created = await createEmbedKey(context.db, tenantId, request.body, actorOf(request));
    response.status(201).json(created);
  };
}

function revokeTenantEmbedKey(context: AppContext) {
  return async (request: Request, response: Response) => {
    const tenantId = principalOf(request).tenantId;
    await revokeEmbedKey(context.db, tenantId, request.params.keyId as string, actorOf(request));
    response.status(204).end();
  };
}
