import { runExportJob } from '../../src/lifecycle/export/build-export.ts';
import { requestExport } from '../../src/lifecycle/export/export-records.ts';
import type { TestLectern } from '../support/lectern.ts';
import { adminsOnly, callers, type Caller, type Row, type TenantFixture } from './matrix-shape.ts';

/** An export of the owner's tenant, queued (the matrix runs no workers) or built here. */
async function exportOf(lectern: TestLectern, owner: TenantFixture, built: boolean) {
  const { db } = lectern;
  const { export: requested } = await requestExport(
    db,
    undefined,
    { tenantId: owner.tenant.id, lifetimeSeconds: 3600 },
    'cli',
  );
  if (built) {
    const { media, log } = lectern.server.context;
    await runExportJob(db, media, log, { tenantId: owner.tenant.id, exportId: requested.id });
  }
  return requested.id;
}

/** The operator's route answers no tenant credential, whoever holds it. */
const nobodyButTheOperator = Object.fromEntries(callers.map((caller) => [caller, 401])) as Record<
  Caller,
  number
>;

export const exportRows: Row[] = [
  {
    route: 'POST /api/v1/tenant/exports',
    target: () => ({ path: '/api/v1/tenant/exports', body: {} }),
    own: adminsOnly(202),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/tenant/exports',
    target: () => ({ path: '/api/v1/tenant/exports' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/tenant/exports/:exportId',
    target: async (lectern, owner) => ({
      path: `/api/v1/tenant/exports/${await exportOf(lectern, owner, false)}`,
    }),
    own: adminsOnly(200),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/tenant/exports/:exportId/download',
    target: async (lectern, owner) => ({
      path: `/api/v1/tenant/exports/${await exportOf(lectern, owner, true)}/download`,
    }),
    own: adminsOnly(200),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/admin/security-checks',
    target: () => ({ path: '/api/v1/admin/security-checks' }),
    own: nobodyButTheOperator,
    otherTenant: 'public',
  },
  {
    route: 'GET /api/v1/tenant/security-check',
    target: () => ({ path: '/api/v1/tenant/security-check' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
];
