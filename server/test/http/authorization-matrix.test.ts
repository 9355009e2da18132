import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import express from 'express';
import type { Role } from '../../src/identity/policy.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern } from '../support/lectern.ts';
import { routesOf } from './route-inventory.ts';
import {
  adminsOnly,
  callers,
  everyoneSignedIn,
  only,
  open,
  type Caller,
  type Row,
  type TenantFixture,
} from './matrix-shape.ts';
import { quizRows } from './quiz-matrix-rows.ts';
import { exportRows } from './export-matrix-rows.ts';
import { ltiRows } from './lti-matrix-rows.ts';
import { mediaRows } from './media-matrix-rows.ts';

// Health, identity and tenant rows here; the other domains bring theirs from files of their own.
const matrix: Row[] = [
  ...quizRows,
  ...exportRows,
  ...mediaRows,
  ...ltiRows,
  {
    route: 'GET /healthz',
    target: () => ({ path: '/healthz' }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'GET /readyz',
    target: () => ({ path: '/readyz' }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'POST /api/v1/sessions',
    target: (lectern, owner) => ({
      path: '/api/v1/sessions',
      body: { token: lectern.embedToken(owner.tenant, { roles: ['viewer'] }) },
    }),
    own: open(201),
    otherTenant: 'public',
  },
  {
    route: 'GET /api/v1/session',
    target: () => ({ path: '/api/v1/session' }),
    own: everyoneSignedIn(200),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/tenant',
    target: () => ({ path: '/api/v1/tenant' }),
    own: everyoneSignedIn(200),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/tenant/policy',
    target: () => ({ path: '/api/v1/tenant/policy' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'PUT /api/v1/tenant/policy/:permission',
    // Sets the default again, so that the matrix leaves the policy as it found it.
    target: () => ({
      path: '/api/v1/tenant/policy/video.upload',
      body: { roles: ['author', 'admin'] },
    }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/users',
    target: () => ({ path: '/api/v1/users' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'PUT /api/v1/users/:userId/roles',
    target: (_lectern, owner) => ({
      path: `/api/v1/users/${owner.bystanderId}/roles`,
      body: { roles: ['viewer'] },
    }),
    own: adminsOnly(200),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/api-keys',
    target: () => ({ path: '/api/v1/api-keys' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'POST /api/v1/api-keys',
    target: () => ({ path: '/api/v1/api-keys', body: { label: 'matrix' } }),
    own: adminsOnly(201),
    otherTenant: 'isolated',
  },
  {
    route: 'DELETE /api/v1/api-keys/:keyId',
    target: async (lectern, owner) => ({
      path: `/api/v1/api-keys/${await newApiKey(lectern, owner)}`,
    }),
    own: adminsOnly(204),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/embed-keys',
    target: () => ({ path: '/api/v1/embed-keys' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'POST /api/v1/embed-keys',
    target: () => ({ path: '/api/v1/embed-keys', body: { algorithm: 'HS256' } }),
    own: adminsOnly(201),
    otherTenant: 'isolated',
  },
  {
    route: 'DELETE /api/v1/embed-keys/:keyId',
    target: async (lectern, owner) => ({
      path: `/api/v1/embed-keys/${await newEmbedKey(lectern, owner)}`,
    }),
    own: adminsOnly(204),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/tenant/settings',
    target: () => ({ path: '/api/v1/tenant/settings' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'PATCH /api/v1/tenant/settings',
    target: () => ({ path: '/api/v1/tenant/settings', body: { review: { required: true } } }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/tenant/data-location',
    target: () => ({ path: '/api/v1/tenant/data-location' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  {
    route: 'POST /api/v1/tenant/terminate',
    // A wrong name: the matrix learns who may ask without terminating the tenant it tests.
    target: () => ({ path: '/api/v1/tenant/terminate', body: { confirm: 'not the name' } }),
    own: only(400, ['admin']),
    otherTenant: 400,
  },
];

async function newApiKey(lectern: TestLectern, owner: TenantFixture): Promise<string> {
  const answer = await lectern.request('POST', '/api/v1/api-keys', {
    token: owner.credentials.admin,
    body: { label: 'to revoke' },
  });
  return answer.body.id;
}

async function newEmbedKey(lectern: TestLectern, owner: TenantFixture): Promise<string> {
  const answer = await lectern.request('POST', '/api/v1/embed-keys', {
    token: owner.credentials.admin,
    body: { algorithm: 'HS256' },
  });
  return answer.body.id;
}

async function tenantFixture(lectern: TestLectern): Promise<TenantFixture> {
  const tenant = await lectern.createTenant();
  const credentials = { anonymous: undefined } as Record<Caller, string | undefined>;
  const userIds: Partial<Record<Role, string>> = {};
  for (const role of ['viewer', 'author', 'critic', 'trainer', 'admin'] as Role[]) {
    const session = await lectern.signIn(tenant, [role]);
    credentials[role as Caller] = session.token;
    userIds[role] = session.user.id;
  }
  const key = await lectern.request('POST', '/api/v1/api-keys', {
    token: credentials.admin,
    body: { label: 'matrix backend' },
  });
  credentials.apiKey = key.body.key;
  const bystander = await lectern.signIn(tenant, ['viewer']);
  return { tenant, credentials, userIds, bystanderId: bystander.user.id };
}

it('the route inventory sees routes inside mounted routers, so a new route cannot hide', () => {
  const app = express();
  const nested = express.Router();
  nested.get('/videos/:videoId', (_request, response) => response.end());
  nested.post('/videos', (_request, response) => response.end());
  app.use('/api/v1', nested);
  app.get('/healthz', (_request, response) => response.end());
  assert.deepEqual(routesOf(app), [
    'GET /api/v1/videos/:videoId',
    'GET /healthz',
    'POST /api/v1/videos',
  ]);
});

function methodOf(route: string): string {
  return route.split(' ')[0] as string;
}

forEachDatabase('the authorization matrix', (openDatabase) => {
  let lectern: TestLectern;
  let owner: TenantFixture;
  let stranger: TenantFixture;

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    owner = await tenantFixture(lectern);
    stranger = await tenantFixture(lectern);
  });
  after(() => lectern.stop());

  it('has exactly one row for every route the server answers', () => {
    const served = routesOf(lectern.server.app);
    const listed = matrix.map((row) => row.route).sort();
    assert.deepEqual(listed, served, 'add a row to the matrix for each new route');
  });

  for (const row of matrix) {
    it(`${row.route}: each role of the tenant gets what the policy grants`, async () => {
      const outcomes: Partial<Record<Caller, number>> = {};
      for (const caller of callers) {
        const target = await row.target(lectern, owner);
        const answer = await lectern.request(methodOf(row.route), target.path, {
          token: owner.credentials[caller],
          body: target.body,
          ...(target.rawBody === undefined ? {} : { rawBody: target.rawBody }),
          ...(target.headers ? { headers: target.headers } : {}),
        });
        outcomes[caller] = answer.status;
      }
      assert.deepEqual(outcomes, row.own);
    });

    if (row.otherTenant === 'public') continue;
    it(`${row.route}: a user of another tenant cannot reach this tenant's data`, async () => {
      const target = await row.target(lectern, owner);
      const answer = await lectern.request(methodOf(row.route), target.path, {
        token: stranger.credentials[row.stranger ?? 'admin'],
        body: target.body,
        ...(target.rawBody === undefined ? {} : { rawBody: target.rawBody }),
        ...(target.headers ? { headers: target.headers } : {}),
      });
      if (row.otherTenant === 'isolated') {
        assert.ok(
          answer.status < 400,
          `expected the stranger's own tenant to answer, got ${answer.status}`,
        );
        const text = JSON.stringify(answer.body ?? '');
        assert.ok(!text.includes(owner.tenant.id), 'the answer mentions the other tenant');
        assert.ok(!text.includes(owner.bystanderId), "the answer mentions the other tenant's user");
        assert.ok(!text.includes(owner.tenant.keyId), "the answer mentions the other tenant's key");
      } else {
        assert.equal(answer.status, row.otherTenant);
      }
    });
  }
});
