import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { authenticate, authorize } from '../http/auth.ts';
import type { AppContext } from '../http/app-context.ts';
import { actorOf, principalOf } from '../http/context.ts';
import { LecternError } from '../http/errors.ts';
import { validate } from '../http/validation.ts';
import { permissions, permissionsOf, fixedPolicy, roles, type Permission } from './policy.ts';
import { exchangeEmbedToken } from './sessions.ts';
import { findTenant } from './tenants.ts';
import {
  loadTenantSettings,
  tenantSettingsPatchSchema,
  updateTenantSettings,
} from './tenant-settings.ts';
import { loadPolicy, setPermissionRoles } from './tenant-policy.ts';
import { listUsers, setGrantedRoles } from './users.ts';

const sessionBody = z.strictObject({ token: z.string().min(1).max(16_384) });
const rolesBody = z.strictObject({ roles: z.array(z.enum(roles)).max(roles.length) });
const permissionParams = z.object({
  permission: z.enum(permissions as [Permission, ...Permission[]]),
});
const userParams = z.object({ userId: z.string().min(1).max(64) });

export function identityRoutes(context: AppContext): Router {
  const router = Router();
  const signedIn = authenticate(context.db, context.signer);

  router.post('/sessions', validate({ body: sessionBody }), createSession(context));
  router.get('/session', signedIn, showSession);
  router.get('/tenant', signedIn, showTenant(context));
  router.get('/tenant/policy', signedIn, authorize('tenant.manage'), showPolicy(context));
  router.put(
    '/tenant/policy/:permission',
    signedIn,
    authorize('tenant.manage'),
    validate({ params: permissionParams, body: rolesBody }),
    changePolicy(context),
  );
  router.get('/tenant/settings', signedIn, authorize('tenant.manage'), showSettings(context));
  router.patch(
    '/tenant/settings',
    signedIn,
    authorize('tenant.manage'),
    validate({ body: tenantSettingsPatchSchema }),
    changeSettings(context),
  );
  router.get('/users', signedIn, authorize('user.list'), listTenantUsers(context));
  router.put(
    '/users/:userId/roles',
    signedIn,
    authorize('tenant.manage'),
    validate({ params: userParams, body: rolesBody }),
    grantRoles(context),
  );
  return router;
}

function createSession(context: AppContext) {
  return async (request: Request, response: Response) => {
    const session = await exchangeEmbedToken(context.db, context.signer, request.body.token);
    request.log.info({
      event: 'session.created',
      tenantId: session.user.tenantId,
      userId: session.user.id,
    });
    response.status(201).json(session);
  };
}

function showSession(request: Request, response: Response) {
  const principal = principalOf(request);
  response.json({
    user: {
      id: principal.id,
      tenantId: principal.tenantId,
      roles: principal.roles,
      kind: principal.kind,
    },
    permissions: permissionsOf(principal),
    expiresAt: principal.expiresAt ?? null,
  });
}

function showTenant(context: AppContext) {
  return async (request: Request, response: Response) => {
    const tenant = await findTenant(context.db, principalOf(request).tenantId);
    if (!tenant) throw new LecternError('resource.not_found');
    response.json({ id: tenant.id, slug: tenant.slug, name: tenant.name });
  };
}

function policyView(policy: Awaited<ReturnType<typeof loadPolicy>>) {
  return Object.fromEntries(
    permissions.map((permission) => [
      permission,
      { roles: [...policy[permission]], fixed: permission in fixedPolicy },
    ]),
  );
}

function showPolicy(context: AppContext) {
  return async (request: Request, response: Response) => {
    const policy = await loadPolicy(context.db, principalOf(request).tenantId);
    response.json({ permissions: policyView(policy) });
  };
}

function changePolicy(context: AppContext) {
  return async (request: Request, response: Response) => {
    const permission = request.params.permission as Permission;
    const policy = await setPermissionRoles(
      context.db,
      principalOf(request).tenantId,
      permission,
      request.body.roles,
      actorOf(request),
    );
    response.json({ permission, roles: policy[permission], fixed: permission in fixedPolicy });
  };
}

function showSettings(context: AppContext) {
  return async (request: Request, response: Response) => {
    response.json(await loadTenantSettings(context.db, principalOf(request).tenantId));
  };
}

function changeSettings(context: AppContext) {
  return async (request: Request, response: Response) => {
    const tenantId = principalOf(request).tenantId;
    response.json(await updateTenantSettings(context.db, tenantId, request.body, actorOf(request)));
  };
}

function listTenantUsers(context: AppContext) {
  return async (request: Request, response: Response) => {
    const users = await listUsers(context.db, principalOf(request).tenantId);
    response.json({
      users: users.map(({ id, source, externalId, roles }) => ({ id, source, externalId, roles })),
    });
  };
}

function grantRoles(context: AppContext) {
  return async (request: Request, response: Response) => {
    const user = await setGrantedRoles(
      context.db,
      principalOf(request).tenantId,
      request.params.userId as string,
      request.body.roles,
      actorOf(request),
    );
    response.json({ id: user.id, roles: user.roles });
  };
}
