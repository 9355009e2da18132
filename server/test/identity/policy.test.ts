import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  defaultPolicy,
  effectivePolicy,
  may,
  permissions,
  type Policy,
  type Principal,
  type Role,
} from '../../src/identity/policy.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';

const tenantId = 'tenant-a';

function person(roles: Role[], policy: Policy = effectivePolicy([]), id = 'user-1'): Principal {
  return { kind: 'user', id, tenantId, roles, policy };
}

describe('the policy', () => {
  it('is the default policy when a tenant has changed nothing', () => {
    assert.deepEqual(effectivePolicy([]), defaultPolicy);
  });

  it('keeps quiz results for trainers alone, even when a tenant names admin', () => {
    const policy = effectivePolicy([['quiz.results', ['trainer', 'admin']]]);
    assert.deepEqual(policy['quiz.results'], ['trainer']);
    assert.equal(may(person(['admin'], policy), 'quiz.results'), false);
    assert.equal(may(person(['trainer'], policy), 'quiz.results'), true);
  });

  it('keeps managing the tenant with admins, even when a tenant takes it from them', () => {
    const policy = effectivePolicy([
      ['tenant.manage', []],
      ['tenant.terminate', ['viewer']],
    ]);
    assert.equal(may(person(['admin'], policy), 'tenant.manage'), true);
    assert.equal(may(person(['viewer'], policy), 'tenant.terminate'), false);
  });

  it("refuses every permission on another tenant's resource, to every role", () => {
    const everyRole = person(['viewer', 'author', 'critic', 'trainer', 'admin']);
    for (const permission of permissions) {
      assert.equal(may(everyRole, permission, { tenantId: 'tenant-b' }), false, permission);
      assert.equal(
        may(everyRole, permission, { tenantId: 'tenant-b', ownerId: everyRole.id }),
        false,
        permission,
      );
    }
  });

  it("lets an author edit their own video but not someone else's", () => {
    const author = person(['author']);
    assert.equal(may(author, 'video.edit', { tenantId, ownerId: author.id }), true);
    assert.equal(may(author, 'video.edit', { tenantId, ownerId: 'user-2' }), false);
  });

  it("lets an admin edit anyone's video in their tenant", () => {
    assert.equal(may(person(['admin']), 'video.edit', { tenantId, ownerId: 'user-2' }), true);
    assert.equal(
      may(person(['author', 'admin']), 'video.edit', { tenantId, ownerId: 'user-2' }),
      true,
    );
  });

  it('lets ownership matter only for owned permissions: a viewer views any video of the tenant', () => {
    assert.equal(may(person(['viewer']), 'video.view', { tenantId, ownerId: 'user-2' }), true);
  });

  it('lets a tenant give video.review to admins as well as critics', () => {
    assert.equal(may(person(['admin']), 'video.review'), false);
    const policy = effectivePolicy([['video.review', ['critic', 'admin']]]);
    assert.equal(may(person(['admin'], policy), 'video.review'), true);
    assert.equal(may(person(['critic'], policy), 'video.review'), true);
  });

  it('lets a tenant take a permission from every role', () => {
    const policy = effectivePolicy([['video.upload', []]]);
    assert.equal(may(person(['author', 'admin'], policy), 'video.upload'), false);
  });

  it('ignores permissions and roles it does not know in stored overrides', () => {
    const policy = effectivePolicy([
      ['video.delete-everything', ['viewer']],
      ['video.upload', ['viewer', 'root']],
    ]);
    assert.deepEqual(Object.keys(policy).sort(), [...permissions].sort());
    assert.deepEqual(policy['video.upload'], ['viewer']);
  });

  it('grants nothing to a principal without roles', () => {
    const nobody = person([]);
    assert.deepEqual(
      permissions.filter((permission) => may(nobody, permission)),
      [],
    );
  });
});

forEachDatabase('a tenant changing its policy', (open) => {
  let lectern: TestLectern;
  let tenant: TestTenant;

  before(async () => {
    lectern = await startTestLectern(await open());
    tenant = await lectern.createTenant();
  });
  after(() => lectern.stop());

  it('an admin adds viewer to video.upload and a viewer then holds it', async () => {
    const admin = await lectern.signIn(tenant, ['admin']);
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const before = await lectern.request('GET', '/api/v1/session', { token: viewer.token });
    assert.ok(!before.body.permissions.includes('video.upload'));

    const changed = await lectern.request('PUT', '/api/v1/tenant/policy/video.upload', {
      token: admin.token,
      body: { roles: ['author', 'admin', 'viewer'] },
    });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.body, {
      permission: 'video.upload',
      roles: ['admin', 'author', 'viewer'],
      fixed: false,
    });

    const now = await lectern.request('GET', '/api/v1/session', { token: viewer.token });
    assert.equal(now.status, 200);
    assert.ok(now.body.permissions.includes('video.upload'));
  });

  it("a change in one tenant leaves another tenant's policy as it was", async () => {
    const elsewhere = await lectern.createTenant();
    const viewer = await lectern.signIn(elsewhere, ['viewer']);
    const answer = await lectern.request('GET', '/api/v1/session', { token: viewer.token });
    assert.ok(!answer.body.permissions.includes('video.upload'));
  });

  it('the policy an admin reads marks the fixed permissions', async () => {
    const admin = await lectern.signIn(tenant, ['admin']);
    const answer = await lectern.request('GET', '/api/v1/tenant/policy', { token: admin.token });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.permissions['quiz.results'], { roles: ['trainer'], fixed: true });
    assert.deepEqual(answer.body.permissions['video.upload'].fixed, false);
  });
});
