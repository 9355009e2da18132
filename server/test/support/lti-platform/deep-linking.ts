import express, { Router, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import { claim } from './moodle.ts';
import type { PlatformState } from './state.ts';
import { verifyToolJwt } from './tool-keys.ts';

/**
 * The deep-linking return URL (Moodle's contentitem_return.php): the tool's browser form
 * posts a JWT the tool signed. It must come from the tool that was asked (iss = client id,
 * aud = the platform), be an LtiDeepLinkingResponse for the deployment, carry a nonce not
 * seen before, echo the request's `data` if it had any, and hold only ltiResourceLink items,
 * the one type Moodle accepts. What passes is kept in deepLinkResponses; the rest gets 400.
 */
export function deepLinkRoutes(state: PlatformState): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '1mb' });
  router.post('/deep-link-return', form, receiveDeepLink(state));
  return router;
}

function receiveDeepLink(state: PlatformState) {
  return async (request: Request, response: Response) => {
    const token = (request.body as Record<string, string | undefined> | undefined)?.JWT;
    const outcome = token ? await check(state, String(request.query.launch), token) : 'no JWT';
    if (typeof outcome === 'string') {
      response.status(400).type('text/plain').send(`The content could not be added: ${outcome}.`);
      return;
    }
    state.deepLinkResponses.push(outcome);
    response.type('html').send('<!doctype html><title>Moodle</title><p>Content added.</p>');
  };
}

async function check(
  state: PlatformState,
  launchId: string,
  token: string,
): Promise<string | { contentItems: Array<Record<string, unknown>>; data?: string }> {
  const asked = state.deepLinkRequests.get(launchId);
  if (!asked) return 'no deep-linking request has this return URL';
  const issuer = jwt.decode(token, { json: true })?.iss;
  const tool = state.tools.get(asked.clientId);
  if (!tool || issuer !== tool.clientId) return 'iss is not the client id of the tool asked';

  let payload: jwt.JwtPayload;
  try {
    payload = await verifyToolJwt(tool, token, {
      issuer: tool.clientId,
      audience: state.urls.issuer,
    });
  } catch (error) {
    return (error as Error).message;
  }
  if (typeof payload.exp !== 'number') return 'no exp';
  if (typeof payload.nonce !== 'string' || payload.nonce === '') return 'no nonce';
  const seen = `nonce ${tool.clientId} ${payload.nonce}`;
  if (state.seenOnce.has(seen)) return 'the nonce was used before';
  state.seenOnce.add(seen);

  if (payload[claim.messageType] !== 'LtiDeepLinkingResponse')
    return 'not an LtiDeepLinkingResponse';
  if (payload[claim.version] !== '1.3.0') return 'version is not 1.3.0';
  if (payload[claim.deploymentId] !== asked.deploymentId) return 'another deployment id';
  const data = payload[claim.deepLinkData];
  if (asked.data !== undefined && data !== asked.data) return 'data is not echoed';

  const items: unknown = payload[claim.contentItems] ?? [];
  if (!Array.isArray(items)) return 'content_items is not an array';
  const contentItems = items as Array<Record<string, unknown>>;
  if (contentItems.some((item) => item?.type !== 'ltiResourceLink')) {
    return 'Moodle accepts ltiResourceLink items only';
  }
  return { contentItems, ...(typeof data === 'string' ? { data } : {}) };
}
