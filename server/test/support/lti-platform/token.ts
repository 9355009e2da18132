import { randomBytes } from 'node:crypto';
import express, {
  Router,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import jwt from 'jsonwebtoken';
import { accessTokenLifetimeSeconds } from './moodle.ts';
import type { AccessToken, PlatformState, RegisteredTool } from './state.ts';
import { verifyToolJwt } from './tool-keys.ts';

const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The token endpoint, as mod/lti/token.php: the client_credentials grant with a JWT client
 * assertion, verified against the tool's JWKS. The access token carries the scopes asked for
 * that the tool was also allowed. A bad assertion gets 401 (Moodle itself answers 400).
 */
export function tokenRoutes(state: PlatformState): Router {
  const router = Router();
  router.post('/token', express.urlencoded({ extended: false }), issueAccessToken(state));
  return router;
}

type Params = Record<string, string | undefined>;

function issueAccessToken(state: PlatformState) {
  return async (request: Request, response: Response) => {
    const form = (request.body ?? {}) as Params;
    const asked = (form.scope ?? '').split(' ').filter(Boolean);
    state.serviceCalls.push({ method: 'POST', path: '/token', scopes: asked });
    const refuse = (status: number, error: string, description: string): void => {
      response.status(status).json({ error, error_description: description });
    };

    if (!request.is('application/x-www-form-urlencoded')) {
      return refuse(400, 'invalid_request', 'the request must be a form');
    }
    if (!form.client_assertion || !form.client_assertion_type || !form.grant_type || !form.scope) {
      return refuse(400, 'invalid_request', 'grant_type, client_assertion(_type) and scope');
    }
    if (form.client_assertion_type !== assertionType || form.grant_type !== 'client_credentials') {
      return refuse(
        400,
        'unsupported_grant_type',
        'client_credentials with a JWT bearer assertion',
      );
    }

    const clientId = jwt.decode(form.client_assertion, { json: true })?.sub;
    const tool = clientId ? state.tools.get(clientId) : undefined;
    if (!tool) return refuse(401, 'invalid_client', 'the assertion’s sub is no registered client');
    const problem = await assertionProblem(state, tool, form.client_assertion);
    if (problem) return refuse(401, 'invalid_client', problem);

    const scopes = asked.filter((candidate) => tool.scopes.includes(candidate));
    if (scopes.length === 0) return refuse(400, 'invalid_scope', 'none of the scopes is allowed');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = Date.now() + accessTokenLifetimeSeconds * 1000;
    state.accessTokens.set(token, { clientId: tool.clientId, scopes, expiresAt });

    response.set('cache-control', 'no-store').json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: accessTokenLifetimeSeconds,
      scope: scopes.join(' '),
    });
  };
}

async function assertionProblem(
  state: PlatformState,
  tool: RegisteredTool,
  assertion: string,
): Promise<string | undefined> {
  let payload: jwt.JwtPayload;
  try {
    payload = await verifyToolJwt(tool, assertion, {
      issuer: tool.clientId,
      subject: tool.clientId,
      audience: [state.urls.token, state.urls.issuer],
    });
  } catch (error) {
    return `client assertion: ${(error as Error).message}`;
  }
  if (typeof payload.exp !== 'number') return 'client assertion: no exp';
  if (payload.jti !== undefined) {
    const seen = `jti ${tool.clientId} ${payload.jti}`;
    if (state.seenOnce.has(seen)) return 'client assertion: jti used before';
    state.seenOnce.add(seen);
  }
  return undefined;
}

/** The access token a service request shows, checked for one of the scopes it needs. */
export function requireScope(state: PlatformState, anyOf: string[]): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const [kind, token] = (request.get('authorization') ?? '').split(' ');
    const access = kind === 'Bearer' && token ? state.accessTokens.get(token) : undefined;
    const valid = access && access.expiresAt > Date.now() ? access : undefined;
    const path = new URL(request.originalUrl, state.urls.issuer).pathname;
    state.serviceCalls.push({ method: request.method, path, scopes: valid?.scopes ?? [] });

    if (!valid) {
      response.set('www-authenticate', 'Bearer error="invalid_token"');
      response.status(401).json({ error: 'invalid_token' });
      return;
    }
    // Moodle answers a token without the scope as it answers no token: 401.
    if (!anyOf.some((needed) => valid.scopes.includes(needed))) {
      response.set('www-authenticate', 'Bearer error="insufficient_scope"');
      response.status(401).json({ error: 'insufficient_scope' });
      return;
    }
    response.locals.access = valid;
    next();
  };
}

export function accessOf(response: Response): AccessToken {
  return response.locals.access as AccessToken;
}
