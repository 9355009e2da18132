import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import type { Knex } from 'knex';
import { loadConfig } from '../../src/config/config.ts';
import type { Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/http/logger.ts';
import type { Role } from '../../src/identity/policy.ts';
import { createTenant } from '../../src/identity/tenants.ts';
import { startServer, type StartOptions } from '../../src/server.ts';

export interface TestTenant {
  id: string;
  slug: string;
  keyId: string;
  secret: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely
  body: any;
}

export interface TestLecternOptions {
  /** `queue-and-workers` runs the job workers (transcoding) in the test process too. */
  jobs?: StartOptions['jobs'];
}

/** A real Lectern on a loopback port over the given database, with helpers to sign in. */
export async function startTestLectern(
  database: Database,
  env: Record<string, string> = {},
  options: TestLecternOptions = {},
) {
  // Its own folder for media and keys, removed when the server stops.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-test-'));
  const config = loadConfig({
    LECTERN_HOST: '127.0.0.1',
    LECTERN_PORT: '0',
    LECTERN_SESSION_SECRET: randomBytes(32).toString('base64url'),
    LECTERN_MASTER_KEY: randomBytes(32).toString('base64'),
    LECTERN_DATA_DIR: dataDir,
    ...env,
  });
  const server = await startServer({
    config,
    database,
    log: createLogger(process.env.LECTERN_TEST_LOG_LEVEL ?? 'silent'),
    jobs: options.jobs,
  });
  const db: Knex = database.knex;
  const audience = server.context.signer.issuer;

  async function createTestTenant(slug = `t-${randomUUID().slice(0, 8)}`): Promise<TestTenant> {
    const { tenant, embedKey } = await createTenant(db, { slug, name: `Tenant ${slug}` }, 'cli');
    return { id: tenant.id, slug, keyId: embedKey.id, secret: embedKey.secret as string };
  }

  /** An embed token as a tenant's intranet backend would sign it. */
  function embedToken(
    tenant: TestTenant,
    claims: { sub?: string; roles?: Role[] } & jwt.JwtPayload = {},
    options: jwt.SignOptions = {},
  ): string {
    return jwt.sign({ sub: 'employee-1', roles: ['viewer'], ...claims }, tenant.secret, {
      algorithm: 'HS256',
      keyid: tenant.keyId,
      audience,
      expiresIn: 300,
      ...options,
    });
  }

  async function request(
    method: string,
    path: string,
    options: {
      token?: string;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the test sees the text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** Signs a person in through the embed-token exchange and returns the session token. */
  async function signIn(
    tenant: TestTenant,
    roles: Role[],
    sub = `employee-${randomUUID()}`,
    person: { name?: string } = {},
  ) {
    const answer = await request('POST', '/api/v1/sessions', {
      body: { token: embedToken(tenant, { sub, roles, ...person }) },
    });
    if (answer.status !== 201) throw new Error(`sign-in failed: ${JSON.stringify(answer.body)}`);
    return answer.body as { token: string; user: { id: string; tenantId: string; roles: Role[] } };
  }

  return {
    url: server.url,
    audience,
    db,
    server,
    createTenant: createTestTenant,
    embedToken,
    request,
    signIn,
    dataDir,
    config,
    /** Polls the video's state until it is `state` (or `failed`); answers the video row. */
    waitForState: async (videoId: string, state: string, timeoutMs = 60_000) => {
      for (const started = Date.now(); Date.now() - started < timeoutMs;) {
        const row = await db('videos').where({ id: videoId }).first();
        if (row?.state === state || row?.state === 'failed') return row;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`video ${videoId} did not reach ${state} in ${timeoutMs} ms`);
    },
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestLectern = Awaited<ReturnType<typeof startTestLectern>>;
