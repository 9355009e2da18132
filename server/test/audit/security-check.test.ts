import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { checkStorageExposure, checkTls } from '../../src/audit/security-check-config.ts';
import { auditDependencies } from '../../src/audit/security-check-dependencies.ts';
import { runSecurityCheck, type SecurityCheckRun } from '../../src/audit/security-check.ts';
import {
  storageConfigFromEnvironment,
  storageEnvironmentSchema,
} from '../../src/media/storage/storage-config.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern } from '../support/lectern.ts';
import { s3StorageEnv, startS3Server, type S3TestServer } from '../support/s3.ts';

const operatorToken = randomBytes(32).toString('base64url');
// Nothing listens on port 9 of the loopback: npm cannot reach this registry.
const unreachableRegistry = { npm_config_registry: 'http://127.0.0.1:9/' };

const outcome = (run: SecurityCheckRun, check: string) =>
  run.findings.find((finding) => finding.check === check);

forEachDatabase('the security check', (openDatabase) => {
  let lectern: TestLectern;

  before(async () => {
    lectern = await startTestLectern(await openDatabase(), {
      LECTERN_OPERATOR_TOKEN: operatorToken,
    });
  });
  after(() => lectern.stop());

  function check() {
    return runSecurityCheck({
      db: lectern.db,
      config: lectern.config,
      storage: lectern.server.context.media.storage,
      log: lectern.server.context.log,
      trigger: 'cli',
      instance: { url: lectern.url, audience: lectern.audience },
      dependencies: { env: unreachableRegistry, timeoutMs: 60_000 },
    });
  }

  it('probes the live instance: its headers and its authorization answer as the policy grants', async () => {
    const run = await check();
    assert.equal(outcome(run, 'http.security_headers')?.outcome, 'passed');
    const live = outcome(run, 'authorization.live');
    assert.equal(live?.outcome, 'passed', JSON.stringify(live));
    assert.equal(outcome(run, 'config.master_key')?.outcome, 'passed');
    assert.equal(outcome(run, 'storage.encryption')?.outcome, 'passed');
    assert.equal(outcome(run, 'storage.not_public')?.outcome, 'passed');

    // The probes' throwaway tenants are gone again.
    const left = await lectern.db('tenants').where('slug', 'like', 'security-check-%');
    assert.deepEqual(left, []);
  });

  it('records an unreachable registry as skipped, and plain HTTP without a trusted proxy as failed', async () => {
    const run = await check();
    const dependencies = outcome(run, 'dependencies.audit');
    assert.equal(dependencies?.outcome, 'skipped');
    assert.match(dependencies?.reason ?? '', /^skipped: registry unreachable/);
    assert.equal(outcome(run, 'config.tls')?.outcome, 'failed');
    assert.equal(run.state, 'failed');
    assert.equal(run.skipped, 1);
    assert.equal(
      checkTls({ ...lectern.config, trustProxy: true }).outcome,
      'passed',
      'TLS at a trusted proxy is enough',
    );
  });

  it('finds an object in storage that Lectern did not seal', async () => {
    const tenant = await lectern.createTenant();
    const key = `tenants/${tenant.id}/videos/${crypto.randomUUID()}/original`;
    await lectern.server.context.media.storage.put(key, Buffer.from('plaintext video bytes'));
    try {
      const run = await check();
      const finding = outcome(run, 'storage.encryption');
      assert.equal(finding?.outcome, 'failed');
      assert.doesNotMatch(JSON.stringify(finding), new RegExp(tenant.id), 'no tenant id shown');
    } finally {
      await lectern.server.context.media.storage.delete(key);
    }
  });

  it('shows the stored runs to the operator only', async () => {
    const answer = await lectern.request('GET', '/api/v1/admin/security-checks', {
      token: operatorToken,
    });
    assert.equal(answer.status, 200);
    assert.ok(answer.body.securityChecks.length >= 2);
    assert.ok(answer.body.securityChecks.every((run: SecurityCheckRun) => run.state !== 'running'));

    const tenant = await lectern.createTenant();
    const admin = await lectern.signIn(tenant, ['admin']);
    for (const token of [admin.token, 'x'.repeat(43), undefined]) {
      const refused = await lectern.request('GET', '/api/v1/admin/security-checks', { token });
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error.code, 'operator.unauthorized');
    }
  });
});

// Its own instance: the runs of the suite above would decide what "the last check" is.
forEachDatabase('the last security check, for tenant admins', (openDatabase) => {
  let lectern: TestLectern;
  before(async () => {
    lectern = await startTestLectern(await openDatabase());
  });
  after(() => lectern.stop());

  it("shows a tenant's admins when the last check ran and each outcome, without the reasons", async () => {
    const tenant = await lectern.createTenant();
    const admin = await lectern.signIn(tenant, ['admin']);
    const empty = await lectern.request('GET', '/api/v1/tenant/security-check', {
      token: admin.token,
    });
    assert.deepEqual(empty.body, { lastCheck: null });

    const run = await runSecurityCheck({
      db: lectern.db,
      config: lectern.config,
      storage: lectern.server.context.media.storage,
      log: lectern.server.context.log,
      trigger: 'cli',
      dependencies: { env: unreachableRegistry, timeoutMs: 60_000 },
    });
    const seen = await lectern.request('GET', '/api/v1/tenant/security-check', {
      token: admin.token,
    });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.lastCheck.state, run.state);
    assert.deepEqual(
      seen.body.lastCheck.checks,
      run.findings.map(({ check, outcome }) => ({ check, outcome })),
    );
    assert.ok(!JSON.stringify(seen.body).includes('reason'), 'the reasons stay with the operator');
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const refused = await lectern.request('GET', '/api/v1/tenant/security-check', {
      token: viewer.token,
    });
    assert.equal(refused.status, 403);
  });
});

describe('the security check on S3', () => {
  let s3: S3TestServer;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3.stop());

  it('asks the bucket whether it is public, and says why when the service cannot answer', async () => {
    const env = storageEnvironmentSchema.parse(s3StorageEnv(s3));
    const finding = await checkStorageExposure(storageConfigFromEnvironment(env, '.'));
    // s3rver implements neither GetBucketPolicyStatus nor public ACLs: a skip with a reason,
    // or a pass when it answers the ACL with the owner's grant alone.
    assert.notEqual(finding.outcome, 'failed', finding.reason);
    assert.match(finding.reason, /policy|ACL/);
  });
});

it('a dependency audit over the real lockfile passes, fails on advisories, or says the registry was unreachable', async () => {
  const finding = await auditDependencies({ timeoutMs: 90_000 });
  assert.ok(['passed', 'failed', 'skipped'].includes(finding.outcome));
  if (finding.outcome === 'skipped') assert.match(finding.reason, /^skipped: /);
  else assert.equal(typeof finding.details?.high, 'number');
});
