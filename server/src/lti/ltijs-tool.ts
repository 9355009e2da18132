import { hkdfSync } from 'node:crypto';
import { createRequire } from 'node:module';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { createLtijsDatabase } from './ltijs-database.ts';
import type { LtiPlatform } from './platforms.ts';

/** The part of ltijs's Provider that Lectern uses; ltijs ships no types. */
interface Provider {
  setup(key: string, database: { plugin: unknown }, options: Record<string, unknown>): Provider;
  deploy(options: { serverless: true; silent: true }): Promise<true>;
  close(options?: { silent: true }): Promise<true>;
  app: RequestHandler;
  registerPlatform(platform: Record<string, unknown>): Promise<unknown>;
  getPlatform(url: string, clientId: string): Promise<unknown>;
  DeepLinking: {
    createDeepLinkingMessage(
      idtoken: LtijsIdToken,
      items: Record<string, unknown>[],
      options?: { message?: string },
    ): Promise<string>;
  };
  Grade: {
    createLineItem(idtoken: LtijsIdToken, item: Record<string, unknown>): Promise<{ id: string }>;
    submitScore(
      idtoken: LtijsIdToken,
      lineItemId: string,
      score: Record<string, unknown>,
    ): Promise<unknown>;
  };
  NamesAndRoles: {
    getMembers(
      idtoken: LtijsIdToken,
      options?: Record<string, unknown>,
    ): Promise<{ members: unknown[] }>;
  };
}

/** The shape of a launch that ltijs's services read. */
export interface LtijsIdToken {
  iss: string;
  clientId: string;
  deploymentId: string;
  user?: string;
  platformContext: {
    deepLinkingSettings?: Record<string, unknown>;
    endpoint?: Record<string, unknown>;
    namesRoles?: Record<string, unknown>;
    resource?: { id: string };
  };
}

/**
 * ltijs inside Lectern: it keeps the tool's key pair per platform (sealed in Lectern's
 * database through the knex plugin), serves their JWKS, signs deep-linking responses and
 * talks to the platform's grade and roster services. The OIDC login and the id_token check
 * are Lectern's own (`login-routes.ts`): ltijs takes the algorithm from the token's header,
 * fetches the platform's keys at every launch, accepts an iat far ahead and any deployment,
 * and binds the login to a cookie that an iframe without third-party cookies never gets.
 */
export interface LtiTool {
  /** Answers `GET /keys` (the JWKS) from ltijs; mount under `/lti`. */
  keyset: RequestHandler;
  /** Makes ltijs know the platform (its endpoints, a fresh tool key pair for it). */
  ensurePlatform(platform: LtiPlatform): Promise<void>;
  provider: Provider;
  close(): Promise<void>;
}

export async function createLtiTool(db: Knex, secret: string): Promise<LtiTool> {
  // ltijs exports one Provider; each Lectern app gets its own (tests run several in a process).
  const require = createRequire(import.meta.url);
  const singleton = (require('ltijs') as { Provider: object }).Provider;
  const ProviderClass = Object.getPrototypeOf(singleton).constructor as new () => Provider;
  const provider = new ProviderClass();

  const key = Buffer.from(hkdfSync('sha256', secret, 'lectern', 'ltijs encryption key', 32));
  provider.setup(
    key.toString('base64url'),
    { plugin: createLtijsDatabase(db) },
    {
      keysetRoute: '/keys',
      // Lectern answers every other route under /lti itself; these stay unreachable.
      loginRoute: '/ltijs-login-unused',
      appRoute: '/ltijs-launch-unused',
      cookies: { secure: true, sameSite: 'None' },
    },
  );
  // deploy() adds a SIGINT handler that exits the process; Lectern's own shutdown stays in charge.
  const before = new Set(process.listeners('SIGINT'));
  await provider.deploy({ serverless: true, silent: true });
  for (const listener of process.listeners('SIGINT')) {
    if (!before.has(listener)) process.off('SIGINT', listener);
  }

  const known = new Set<string>();
  return {
    keyset: (request, response, next) => {
      request.url = '/keys';
      provider.app(request, response, next);
    },
    // TODO: two processes registering one platform with ltijs at the same moment can leave it
    // pointing at a replaced key pair (ltijs checks, then creates); a lock would close that.
    async ensurePlatform(platform) {
      const id = `${platform.issuer} ${platform.clientId}`;
      if (known.has(id)) return;
      if (!(await provider.getPlatform(platform.issuer, platform.clientId))) {
        await provider.registerPlatform({
          url: platform.issuer,
          clientId: platform.clientId,
          name: platform.product || 'LMS',
          authenticationEndpoint: platform.authUrl,
          accesstokenEndpoint: platform.tokenUrl,
          authConfig: { method: 'JWK_SET', key: platform.jwksUrl },
        });
      }
      known.add(id);
    },
    provider,
    close: async () => {
      await provider.close({ silent: true });
    },
  };
}
