import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Knex } from 'knex';
import type { Role } from '../identity/policy.ts';
import { createTenant } from '../identity/tenants.ts';
import { requestExport } from '../lifecycle/export/export-records.ts';
import { createVideo } from '../media/library/videos.ts';
import { failed, passed, type Finding } from './security-check-findings.ts';

/** The running instance: where to send requests, and the audience its embed tokens carry. */
export interface LiveInstance {
  url: string;
  audience: string;
}

/** The headers every answer must carry (`securityHeaders` in http/middleware.ts). */
export async function checkSecurityHeaders(instance: LiveInstance): Promise<Finding> {
  const check = 'http.security_headers';
  let answer: Response;
  try {
    answer = await fetch(`${instance.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
    await answer.arrayBuffer();
  } catch (error) {
    return failed(
      check,
      `the instance at ${instance.url} did not answer (${(error as Error).message})`,
    );
  }
  const missing: string[] = [];
  if (answer.headers.get('x-content-type-options') !== 'nosniff')
    missing.push('X-Content-Type-Options: nosniff');
  if (answer.headers.get('referrer-policy') !== 'no-referrer')
    missing.push('Referrer-Policy: no-referrer');
  if (instance.url.startsWith('https:') && !answer.headers.get('strict-transport-security')) {
    missing.push('Strict-Transport-Security');
  }
  if (answer.headers.get('x-powered-by')) missing.push('no X-Powered-By');
  if (missing.length > 0) {
    return failed(check, `answers lack ${missing.join(', ')}`, { missing });
  }
  return passed(
    check,
    `${instance.url} answers with nosniff, no-referrer${instance.url.startsWith('https:') ? ' and HSTS' : ''}`,
  );
}

interface Probe {
  method: string;
  path: string;
  caller: Caller;
  expected: number;
  body?: unknown;
}

type Caller = 'anonymous' | 'forged' | Role | 'stranger';

// Read-only routes and refused writes only: a probe never changes anything outside the
// throwaway tenants, whatever the instance answers.
const adminReads = [
  '/api/v1/tenant/policy',
  '/api/v1/tenant/settings',
  '/api/v1/users',
  '/api/v1/api-keys',
  '/api/v1/embed-keys',
  '/api/v1/lti/platforms',
  '/api/v1/tenant/exports',
];
const signedInReads = ['/api/v1/session', '/api/v1/tenant', '/api/v1/videos'];
const nonAdmins: Role[] = ['viewer', 'author', 'critic', 'trainer'];

function probes(target: { videoId: string; exportId: string; userId: string }): Probe[] {
  const list: Probe[] = [];
  for (const path of [...signedInReads, ...adminReads, '/api/v1/review-queue']) {
    list.push({ method: 'GET', path, caller: 'anonymous', expected: 401 });
    list.push({ method: 'GET', path, caller: 'forged', expected: 401 });
  }
  for (const path of signedInReads)
    list.push({ method: 'GET', path, caller: 'viewer', expected: 200 });
  for (const path of adminReads) {
    for (const role of nonAdmins) list.push({ method: 'GET', path, caller: role, expected: 403 });
    list.push({ method: 'GET', path, caller: 'admin', expected: 200 });
  }
  for (const role of nonAdmins) {
    list.push({
      method: 'POST',
      path: '/api/v1/tenant/exports',
      caller: role,
      expected: 403,
      body: {},
    });
    list.push({
      method: 'PUT',
      path: `/api/v1/users/${target.userId}/roles`,
      caller: role,
      expected: 403,
      body: { roles: ['admin'] },
    });
  }
  list.push({ method: 'GET', path: '/api/v1/review-queue', caller: 'critic', expected: 200 });
  list.push({ method: 'GET', path: '/api/v1/review-queue', caller: 'viewer', expected: 403 });
  // An admin of another tenant finds nothing of this one.
  for (const path of [
    `/api/v1/videos/${target.videoId}`,
    `/api/v1/tenant/exports/${target.exportId}`,
    `/api/v1/tenant/exports/${target.exportId}/download`,
  ]) {
    list.push({ method: 'GET', path, caller: 'stranger', expected: 404 });
  }
  list.push({
    method: 'PUT',
    path: `/api/v1/users/${target.userId}/roles`,
    caller: 'stranger',
    expected: 404,
    body: { roles: ['admin'] },
  });
  return list;
}

/**
 * Authentication, the admin floors and tenant isolation, asked of the live instance over HTTP:
 * two throwaway tenants, a person in each role, and a compact route × caller list. The full
 * matrix (every route, every role) is the test suite's; this proves the deployed build and its
 * configuration still refuse what they must. The tenants are removed by `removeProbeTenants`.
 */
export async function checkLiveAuthorization(
  db: Knex,
  instance: LiveInstance,
  keepTenants: (ids: string[]) => Promise<void>,
): Promise<Finding> {
  const check = 'authorization.live';
  const suffix = randomBytes(5).toString('hex');
  const owner = await createTenant(
    db,
    { slug: `security-check-${suffix}-a`, name: 'Security check' },
    'system:security-check',
  );
  const other = await createTenant(
    db,
    { slug: `security-check-${suffix}-b`, name: 'Security check' },
    'system:security-check',
  );
  await keepTenants([owner.tenant.id, other.tenant.id]);

  const tokens = new Map<Caller, string | undefined>([
    ['anonymous', undefined],
    ['forged', 'not-a-session-token'],
  ]);
  let ownerAdminId = '';
  try {
    for (const role of [...nonAdmins, 'admin'] as Role[]) {
      const session = await signIn(instance, owner, role);
      tokens.set(role, session.token);
      if (role === 'admin') ownerAdminId = session.userId;
    }
    tokens.set('stranger', (await signIn(instance, other, 'admin')).token);
  } catch (error) {
    return failed(check, `could not sign in at ${instance.url}: ${(error as Error).message}`);
  }

  const video = await createVideo(
    db,
    { tenantId: owner.tenant.id, ownerId: ownerAdminId, title: 'Security check' },
    'system:security-check',
  );
  const { export: requested } = await requestExport(
    db,
    undefined,
    { tenantId: owner.tenant.id, lifetimeSeconds: 60 },
    'system:security-check',
  );

  const wrong: { probe: string; expected: number; got: number }[] = [];
  const list = probes({ videoId: video.id, exportId: requested.id, userId: ownerAdminId });
  for (const probe of list) {
    const token = tokens.get(probe.caller);
    const answer = await fetch(`${instance.url}${probe.path}`, {
      method: probe.method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(probe.body ? { 'content-type': 'application/json' } : {}),
      },
      body: probe.body ? JSON.stringify(probe.body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    await answer.arrayBuffer();
    if (answer.status !== probe.expected) {
      wrong.push({
        probe: `${probe.caller} ${probe.method} ${probe.path.replace(/[0-9a-f-]{36}/g, ':id')}`,
        expected: probe.expected,
        got: answer.status,
      });
    }
  }
  if (wrong.length > 0) {
    return failed(
      check,
      `${wrong.length} of ${list.length} probes got another answer than the policy grants`,
      { wrong: wrong.slice(0, 20) },
    );
  }
  return passed(check, `${list.length} route × caller probes answered as the policy grants`);
}

async function signIn(
  instance: LiveInstance,
  tenant: Awaited<ReturnType<typeof createTenant>>,
  role: Role,
): Promise<{ token: string; userId: string }> {
  const embed = jwt.sign(
    { sub: `security-check-${role}`, roles: [role] },
    tenant.embedKey.secret as string,
    {
      algorithm: 'HS256',
      keyid: tenant.embedKey.id,
      audience: instance.audience,
      expiresIn: 120,
    },
  );
  const answer = await fetch(`${instance.url}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: embed }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await answer.json()) as {
    token?: string;
    user?: { id: string };
    error?: { code: string };
  };
  if (answer.status !== 201 || !body.token || !body.user) {
    throw new Error(
      `the session exchange answered ${answer.status} ${body.error?.code ?? ''}`.trim(),
    );
  }
  return { token: body.token, userId: body.user.id };
}

/**
 * Removes the probes' throwaway tenants; every row of a tenant goes with it (ON DELETE CASCADE),
 * and the probes store no object and make no tenant key. Not a termination on purpose: that
 * would rotate the master key every week for tenants that never held a byte of anyone's data.
 */
export async function removeProbeTenants(db: Knex, tenantIds: string[]): Promise<void> {
  if (tenantIds.length === 0) return;
  await db('tenants').whereIn('id', tenantIds).where('slug', 'like', 'security-check-%').delete();
}
